package io.jenkins.plugins.k8sdeploy.cli;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.StopRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Credentials;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.ProviderConfig;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryPlan;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryState;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ImageOverrides;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Namespaces;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * {@code k8spd canary}: start a canary and run its plan, or steer a canary a pipeline started. Exit codes: 0 done
 * (for {@code start}: promoted, or paused where the plan ends), 1 failed or aborted, 2 bad command line; {@code status}
 * exits 3 while a canary is in progress.
 */
@Command(name = "canary", description = "Canary rollouts: start one, promote it, abort it, see where it is.",
        subcommands = {CanaryCommand.Start.class, CanaryCommand.Promote.class, CanaryCommand.Abort.class,
            CanaryCommand.Status.class})
class CanaryCommand {

    static String driver() {
        return "k8spd " + ManagementFactory.getRuntimeMXBean().getName();
    }

    /** What every canary command shares: the cluster, the namespace, the record file. */
    static class Common {
        @Mixin
        ClusterOptions cluster;

        @Option(names = {"-n", "--namespace"}, description = "Namespace of the app (default: the kubeconfig's).")
        String namespace;

        @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "10m",
                description = "How long each step may take to get its pods ready (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--record", paramLabel = "FILE", description = "Write the rollout record as JSON.")
        Path record;

        String namespace(ClusterConnection c) {
            return Namespaces.effective(namespace, c);
        }

        int finish(DeployRecord result) throws IOException {
            return Outcome.of(result, record, DeployRecord.Outcome.SUCCEEDED.equals(result.outcome()));
        }
    }

    @Command(name = "start", description = "Apply manifests and run the canary plan; the first deploy goes straight"
            + " to full.")
    static class Start extends Common implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "MANIFEST", description = "Files, directories or globs.")
        List<String> manifests;

        @Option(names = "--app", description = "The Deployment to canary (default: the only one in the manifests).")
        String app;

        @Option(names = "--plan", description = "Steps, e.g. \"20%%, pause 2m, 50%%, approval, 100%%\" (default: "
                + "20%%, pause 1m, 50%%, pause 1m, 100%%).") // CanaryPlan.DEFAULT, with picocli's %% for %
        String plan;

        @Option(names = "--image", paramLabel = "CONTAINER=IMAGE", description = "Set the image of every container so"
                + " named.")
        List<String> images = new ArrayList<>();

        @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Substitute ${NAME} in the manifests.")
        Map<String, String> variables;

        @Option(names = "--force-conflicts", description = "Take over fields another field manager owns, as kubectl's"
                + " --force-conflicts does; without it such a field refuses the start before anything is applied.")
        boolean forceConflicts;

        @Option(names = "--router", description = "istio, nginx, gatewayApi or smi (default: none, weights by replica"
                + " counts).")
        String router;

        @Option(names = "--router-name", description = "The VirtualService, stable Ingress, HTTPRoute or"
                + " TrafficSplit.")
        String routerName;

        @Option(names = "--route", description = "Istio: an HTTP route to change (default: every route to stable).")
        List<String> routes = new ArrayList<>();

        @Option(names = "--stable-subset", description = "Istio subsets mode: the stable subset.")
        String stableSubset;

        @Option(names = "--canary-subset", description = "Istio subsets mode: the canary subset.")
        String canarySubset;

        @Option(names = "--destination-rule", description = "Istio subsets mode: the DestinationRule.")
        String destinationRule;

        @Option(names = "--stable-service", description = "The Service in front of the app (default: the one that"
                + " selects its pods).")
        String stableService;

        @Option(names = "--canary-service", description = "With a router: the canary's Service (default:"
                + " <stable-service>-canary, created when missing).")
        String canaryService;

        @Option(names = "--no-abort", description = "Leave a failing canary where it is instead of aborting it.")
        boolean noAbort;

        @Option(names = "--analysis", paramLabel = "FILE", description = "YAML defining metric providers and named"
                + " analyses, which 'analysis NAME' plan steps run. A provider's credentialsId X is read from the"
                + " environment: K8SPD_CREDENTIALS_X_TOKEN (bearer), or K8SPD_CREDENTIALS_X_USERNAME and _PASSWORD.")
        Path analysisFile;

        @Mixin
        CancelOptions cancel;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Instant started = Instant.now();
            String server = null;
            Rollout rollout = null;
            try {
                Outcome.checkWritable(record);
                ClusterConnection c = cluster.connection();
                server = c.serverUrl();
                StopRequest stop = Cancellation.handle(cancel.whatItDoes("aborting the canary"), () -> "the"
                        + " manifests are being applied; look with k8spd canary status " + (app == null ? "APP" : app));
                DeployRequest deploy = DeployRequest.builder().manifests(manifests).namespace(namespace)
                        .variables(variables == null ? null : new LinkedHashMap<>(variables))
                        .images(ImageOverrides.parse(images)).timeout(timeout).rollbackOnFailure(!noAbort)
                        .forceConflicts(forceConflicts).build();
                RouterSpec r = RouterSpec.parse(router, routerName, routes, stableSubset, canarySubset,
                        destinationRule);
                CanaryPlan canaryPlan = CanaryPlan.parse(plan);
                CanaryRequest request = new CanaryRequest(deploy, app, canaryPlan, r, stableService,
                        canaryService, driver());
                AnalysisPort analyses = analyses(analysisFile, canaryPlan);
                Rollout running = rollout = new CanaryEngine(Clock.systemUTC()).start(request,
                        new LocalManifestFiles(Path.of("")), c, analyses, System.out::println);
                Cancellation.left(() -> running.status() + "; abort it with k8spd canary abort, or promote it");
                return finish(Rollouts.run(rollout, c, Clock.systemUTC(), System.out::println, cancel.rollBack(),
                        stop));
            } catch (DeployException e) {
                return Outcome.failed(e.getMessage(), rollout == null ? null : rollout.record(Clock.systemUTC()),
                        record, started, server, DeployRecord.Strategy.CANARY, app);
            } catch (RuntimeException | Error e) {
                Outcome.crashed(e, rollout == null ? null : rollout.record(Clock.systemUTC()), record);
                throw e;
            }
        }
    }

    /** The analyses of {@code file} that {@code plan} runs, or none. */
    static AnalysisPort analyses(Path file, CanaryPlan plan) throws DeployException {
        if (file == null) {
            return AnalysisPort.NONE;
        }
        AnalysisConfig config = AnalysisConfig.parse(readAnalysisFile(file), file.toString());
        return config.build(CanaryCommand::environmentCredentials, plan.analyses());
    }

    /** The text of an analysis file, or a message saying why it cannot be read (never a stack trace). */
    static String readAnalysisFile(Path file) throws DeployException {
        try {
            if (Files.size(file) > AnalysisConfig.MAX_SOURCE_CHARS) {
                throw new DeployException("The analysis file " + file + " is larger than "
                        + AnalysisConfig.MAX_SOURCE_CHARS + " bytes.");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DeployException("The analysis file " + file + " does not exist.");
        } catch (IOException e) {
            throw new DeployException("Cannot read the analysis file " + file + ": " + e.getMessage() + ".");
        }
    }

    /** credentialsId X: K8SPD_CREDENTIALS_X_TOKEN, or K8SPD_CREDENTIALS_X_USERNAME and K8SPD_CREDENTIALS_X_PASSWORD. */
    static Credentials environmentCredentials(ProviderConfig provider) throws DeployException {
        String prefix = "K8SPD_CREDENTIALS_" + provider.credentialsId().toUpperCase(java.util.Locale.ROOT)
                .replaceAll("[^A-Z0-9]", "_") + "_";
        String token = System.getenv(prefix + "TOKEN");
        String user = System.getenv(prefix + "USERNAME");
        if (token != null && !token.isEmpty()) {
            return Credentials.bearer(token);
        }
        if (user != null && !user.isEmpty()) {
            return Credentials.basic(user, java.util.Objects.requireNonNullElse(System.getenv(prefix + "PASSWORD"),
                    ""));
        }
        throw new DeployException("Provider '" + provider.name() + "' names credentialsId '" + provider.credentialsId()
                + "', but neither " + prefix + "TOKEN nor " + prefix + "USERNAME is set in the environment.");
    }

    /** promote and abort: steer a canary by the name of its app. */
    abstract static class Steer extends Common implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "APP", description = "The stable Deployment of the canary.")
        String app;

        abstract CanaryEngine.Action action();

        int weight() {
            return 0;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            Instant started = Instant.now();
            String server = null;
            Rollout rollout = null;
            try {
                Outcome.checkWritable(record);
                ClusterConnection c = cluster.connection();
                server = c.serverUrl();
                boolean abort = action() == CanaryEngine.Action.ABORT; // an abort is finished, never left half-way
                StopRequest stop = Cancellation.handle(abort ? "finishing the abort" : "stopping where it is",
                        () -> "the canary of " + app + "; look with k8spd canary status " + app);
                Rollout running = rollout = new CanaryEngine(Clock.systemUTC()).control(c, namespace(c), app,
                        action(), weight(), driver(), AnalysisPort.NONE, timeout, System.out::println);
                Cancellation.left(() -> running.status() + "; look with k8spd canary status " + app);
                DeployRecord result = Rollouts.run(rollout, c, Clock.systemUTC(), System.out::println, abort, stop);
                boolean abortedAsAsked = action() == CanaryEngine.Action.ABORT
                        && DeployRecord.Outcome.ABORTED.equals(result.outcome());
                return Outcome.of(result, record, abortedAsAsked || DeployRecord.Outcome.SUCCEEDED.equals(result.outcome()));
            } catch (DeployException e) {
                return Outcome.failed(e.getMessage(), rollout == null ? null : rollout.record(Clock.systemUTC()),
                        record, started, server, DeployRecord.Strategy.CANARY, app);
            } catch (RuntimeException | Error e) {
                Outcome.crashed(e, rollout == null ? null : rollout.record(Clock.systemUTC()), record);
                throw e;
            }
        }
    }

    @Command(name = "promote", description = "Promote past the current pause or approval; with --weight move to that"
            + " weight, with --full (or when no pipeline drives it) promote fully.")
    static class Promote extends Steer {
        @Option(names = "--weight", description = "Move to this weight (only when no pipeline drives the canary).")
        Integer weight;

        @Option(names = "--full", description = "Promote fully, skipping the rest of the plan.")
        boolean full;

        @Override
        CanaryEngine.Action action() {
            return full ? CanaryEngine.Action.FULL : weight != null ? CanaryEngine.Action.WEIGHT
                    : CanaryEngine.Action.PROMOTE;
        }

        @Override
        int weight() {
            return weight == null ? 0 : weight;
        }
    }

    @Command(name = "abort", description = "Send all traffic back to stable and remove the canary.")
    static class Abort extends Steer {
        @Override
        CanaryEngine.Action action() {
            return CanaryEngine.Action.ABORT;
        }
    }

    @Command(name = "status", description = "Where the canary of APP is; exits 3 while one is in progress.")
    static class Status implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = {"-n", "--namespace"}, description = "Namespace of the app (default: the kubeconfig's).")
        String namespace;

        @Parameters(index = "0", paramLabel = "APP", description = "The stable Deployment.")
        String app;

        @Override
        public Integer call() {
            try {
                ClusterConnection c = cluster.connection();
                String ns = Namespaces.effective(namespace, c);
                try (KubeCluster k = KubeCluster.connect(c)) {
                    Deployment d = k.client().apps().deployments().inNamespace(ns).withName(app).get();
                    if (d == null) {
                        throw new DeployException("Deployment/" + app + " does not exist in namespace " + ns + ".");
                    }
                    Map<String, String> a = CanaryState.annotations(d);
                    if (!CanaryState.inProgress(d)) {
                        System.out.println(app + ": no canary in progress.");
                        return 0;
                    }
                    System.out.println(app + ": canary " + a.get(CanaryState.REVISION) + " at "
                            + a.getOrDefault(CanaryState.WEIGHT, "0") + "%, " + a.getOrDefault(CanaryState.PHASE, "?")
                            + (a.containsKey(CanaryState.MESSAGE) ? " (" + a.get(CanaryState.MESSAGE) + ")" : "")
                            + "; plan: " + a.getOrDefault(CanaryState.PLAN, "?") + ", step "
                            + a.getOrDefault(CanaryState.STEP, "0") + "; "
                            + CanaryState.driverLine(d, java.time.Instant.now()) + ".");
                    return 3;
                }
            } catch (DeployException e) {
                System.err.println("k8spd: " + e.getMessage());
                return 1;
            }
        }
    }
}
