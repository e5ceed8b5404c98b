package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.StopRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngine;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenSwitchRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenTarget;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ImageOverrides;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code k8spd bluegreen deploy|switch|status}: blue-green from a terminal, with the same engine as the Jenkins steps.
 * Exit codes: 0 done, 1 failed or refused (the message says why), 2 the command line was wrong.
 */
@Command(name = "bluegreen", description = "Blue-green: two colours of an app, a Service switched between them.",
        subcommands = {BlueGreenCommand.Deploy.class, BlueGreenCommand.Switch.class, BlueGreenCommand.Status.class})
final class BlueGreenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: deploy, switch or status.");
    }

    /** The app's Services, shared by the subcommands. */
    /** --analysis FILE and --analysis-name NAME: the analysis to run after the switch. */
    static final class AnalysisOptions {
        @Option(names = "--analysis", paramLabel = "FILE", description = "YAML defining metric providers and named"
                + " analyses (as for k8spd canary start); with --analysis-name, that analysis runs after the switch,"
                + " the new colour as canary against the old one, and a failure switches back at once.")
        Path file;

        @Option(names = "--analysis-name", paramLabel = "NAME", description = "The analysis of --analysis to run"
                + " after the switch.")
        String name;

        /** The analyses to look the name up in (none without a file); refuses a name without a file and vice versa. */
        AnalysisPort analyses() throws DeployException {
            if (file == null && name == null) {
                return AnalysisPort.NONE;
            }
            if (file == null || name == null || name.isBlank()) {
                throw new DeployException("--analysis FILE and --analysis-name NAME go together: the file defines the"
                        + " analyses, the name says which one runs after the switch.");
            }
            return AnalysisConfig.parse(CanaryCommand.readAnalysisFile(file), file.toString())
                    .build(CanaryCommand::environmentCredentials, List.of(name));
        }
    }

    static final class ServiceOptions {
        @Option(names = "--active-service", paramLabel = "NAME",
                description = "The Service that takes the traffic (default: the app's name).")
        String activeService;

        @Option(names = "--preview-service", paramLabel = "NAME",
                description = "The Service that selects the other colour (default: APP-preview).")
        String previewService;
    }

    @Command(name = "deploy", description = "Deploy the new version into the colour not active; switch to it with"
            + " --auto-switch, else stop when the preview is ready.")
    static final class Deploy implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Mixin
        ServiceOptions services;

        @Parameters(arity = "1..*", paramLabel = "MANIFEST", description = "Files, directories or globs.")
        List<String> manifests;

        @Option(names = {"-n", "--namespace"}, description = "Namespace for manifests that name none.")
        String namespace;

        @Option(names = "--pin-namespace", description = "Refuse manifests that name another namespace than"
                + " --namespace.")
        boolean pinNamespace;

        @Option(names = "--allow-cluster-scoped", paramLabel = "KIND", split = ",",
                description = "With --pin-namespace: apply objects of this cluster-scoped kind too (repeatable; others"
                        + " are refused).")
        List<String> allowClusterScoped = new ArrayList<>();
        @Option(names = "--force-conflicts", description = "Take over fields another field manager owns, as kubectl's"
                + " --force-conflicts does; without it such a field refuses the deploy before anything is applied.")
        boolean forceConflicts;

        @Option(names = "--app", paramLabel = "NAME",
                description = "The app's Deployment in the manifests (default: the only Deployment).")
        String app;

        @Option(names = "--var", paramLabel = "NAME=VALUE",
                description = "Substitute ${NAME} in the manifests (only these; an unknown ${...} is an error).")
        Map<String, String> variables;

        @Option(names = "--image", paramLabel = "CONTAINER=IMAGE",
                description = "Set the image of every container so named.")
        List<String> images = new ArrayList<>();

        @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "10m",
                description = "How long to wait for the new colour to be available (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--auto-switch", description = "Switch to the new colour as soon as it is fully available.")
        boolean autoSwitch;

        @Option(names = "--scale-down-delay", converter = DurationConverter.class, defaultValue = "30s",
                description = "How long the old colour keeps its pods after the switch (default: ${DEFAULT-VALUE}).")
        Duration scaleDownDelay;

        @Option(names = "--no-wait", description = "With --auto-switch: return right after the switch instead of"
                + " waiting for the old colour's scale-down.")
        boolean noWait;

        @Option(names = "--record", paramLabel = "FILE", description = "Write the deploy record as JSON.")
        Path record;

        @Mixin
        AnalysisOptions analysis;

        @Mixin
        CancelOptions cancel;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Instant started = Instant.now();
            String server = null;
            BlueGreenRollout rollout = null;
            try {
                BlueGreenRequest request = BlueGreenRequest.builder()
                        .manifests(manifests)
                        .namespace(namespace)
                        .pinNamespace(pinNamespace)
                        .allowClusterScoped(allowClusterScoped)
                        .forceConflicts(forceConflicts)
                        .variables(variables == null ? null : new LinkedHashMap<>(variables))
                        .images(ImageOverrides.parse(images))
                        .timeout(timeout)
                        .app(app)
                        .activeService(services.activeService)
                        .previewService(services.previewService)
                        .autoSwitch(autoSwitch)
                        .scaleDownDelay(scaleDownDelay)
                        .waitForScaleDown(!noWait)
                        .analysis(analysis.name)
                        .build();
                if (analysis.name != null && !autoSwitch) {
                    throw new DeployException("--analysis-name runs after the switch: it needs --auto-switch (or give"
                            + " it to k8spd bluegreen switch).");
                }
                AnalysisPort analyses = analysis.analyses();
                Outcome.checkWritable(record);
                ClusterConnection connection = cluster.connection();
                server = connection.serverUrl();
                StopRequest stop = Cancellation.handle(cancel.whatItDoes(UNDO), () -> "the manifests are being"
                        + " applied; look with k8spd bluegreen status");
                BlueGreenRollout r = rollout = new BlueGreenEngine().deploy(request,
                        new LocalManifestFiles(Path.of("")), connection, System.out::println).withAnalysis(analyses);
                Cancellation.left(() -> left(r));
                return finish(Rollouts.run(rollout, connection, Clock.systemUTC(), System.out::println,
                        cancel.rollBack(), stop), record);
            } catch (DeployException e) {
                return Outcome.failed(e.getMessage(), rollout == null ? null : rollout.record(Clock.systemUTC()),
                        record, started, server, DeployRecord.Strategy.BLUE_GREEN, app);
            } catch (RuntimeException | Error e) {
                Outcome.crashed(e, rollout == null ? null : rollout.record(Clock.systemUTC()), record);
                throw e;
            }
        }
    }

    @Command(name = "switch", description = "Switch the active Service to the preview colour (or back, with"
            + " --rollback) and wait for the old colour's scale-down.")
    static final class Switch implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Mixin
        ServiceOptions services;

        @Parameters(paramLabel = "APP", description = "The app: its colours are Deployments APP-blue and APP-green.")
        String app;

        @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the kubeconfig context's, else"
                + " default).")
        String namespace;

        @Option(names = "--rollback", description = "Switch back to the colour that served before (instant while it"
                + " still has its pods).")
        boolean rollback;

        @Option(names = "--scale-down-delay", converter = DurationConverter.class, defaultValue = "30s",
                description = "How long the colour left keeps its pods (default: ${DEFAULT-VALUE}).")
        Duration scaleDownDelay;

        @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "10m",
                description = "With --rollback, when the old colour was scaled down: how long to wait for it to be"
                        + " available again (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--no-wait", description = "Return right after the switch instead of waiting for the"
                + " scale-down of the colour left.")
        boolean noWait;

        @Option(names = "--record", paramLabel = "FILE", description = "Write the record as JSON.")
        Path record;

        @Mixin
        AnalysisOptions analysis;

        @Mixin
        CancelOptions cancel;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Instant started = Instant.now();
            String server = null;
            BlueGreenRollout rollout = null;
            try {
                BlueGreenSwitchRequest request = new BlueGreenSwitchRequest(
                        new BlueGreenTarget(namespace, app, services.activeService, services.previewService),
                        scaleDownDelay, timeout, !noWait, analysis.name);
                if (analysis.name != null && rollback) {
                    throw new DeployException("--analysis-name analyses a switch to a new colour, not --rollback.");
                }
                AnalysisPort analyses = analysis.analyses();
                Outcome.checkWritable(record);
                ClusterConnection connection = cluster.connection();
                server = connection.serverUrl();
                // A switch back (--rollback) is what undoing means: a signal never reverses it.
                boolean undo = cancel.rollBack() && !rollback;
                StopRequest stop = Cancellation.handle(undo ? UNDO : LEAVE, () -> "the switch is being made;"
                        + " look with k8spd bluegreen status " + app);
                BlueGreenEngine engine = new BlueGreenEngine();
                BlueGreenRollout r = rollout = (rollback
                        ? engine.switchBack(request, connection, System.out::println)
                        : engine.switchOver(request, connection, System.out::println)).withAnalysis(analyses);
                Cancellation.left(() -> left(r));
                return finish(Rollouts.run(rollout, connection, Clock.systemUTC(), System.out::println,
                        undo, stop), record);
            } catch (DeployException e) {
                return Outcome.failed(e.getMessage(), rollout == null ? null : rollout.record(Clock.systemUTC()),
                        record, started, server, DeployRecord.Strategy.BLUE_GREEN, app);
            } catch (RuntimeException | Error e) {
                Outcome.crashed(e, rollout == null ? null : rollout.record(Clock.systemUTC()), record);
                throw e;
            }
        }
    }

    @Command(name = "status", description = "Which colour is active, which is previewed, and how each colour stands.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Mixin
        ServiceOptions services;

        @Parameters(paramLabel = "APP", description = "The app: its colours are Deployments APP-blue and APP-green.")
        String app;

        @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the kubeconfig context's, else"
                + " default).")
        String namespace;

        @Override
        public Integer call() {
            try {
                new BlueGreenEngine().status(new BlueGreenTarget(namespace, app, services.activeService,
                        services.previewService), cluster.connection()).lines().forEach(System.out::println);
                return 0;
            } catch (DeployException e) {
                System.err.println("k8spd: " + e.getMessage());
                return 1;
            }
        }
    }

    /** What a signal makes a blue-green command do, unless --on-cancel leave. */
    private static final String UNDO = "putting back the colour that served before";
    private static final String LEAVE = "leaving the switch as it is";

    /** What a forced exit leaves: the rollout's state, and how to look at it. */
    private static String left(BlueGreenRollout r) {
        return r.status() + "; look with k8spd bluegreen status, switch back with k8spd bluegreen switch --rollback";
    }

    private static int finish(DeployRecord result, Path record) throws IOException {
        return Outcome.of(result, record, result.succeeded());
    }
}
