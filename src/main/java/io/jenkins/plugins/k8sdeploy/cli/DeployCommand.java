package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.StopRequest;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ImageOverrides;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k8spd deploy}: what the k8sDeploy step does, from a terminal. */
@Command(name = "deploy", description = "Apply manifests, wait until the cluster is done, roll back on failure.")
class DeployCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(arity = "1..*", paramLabel = "MANIFEST", description = "Files, directories or globs.")
    List<String> manifests;

    @Option(names = {"-n", "--namespace"}, description = "Namespace for manifests that name none.")
    String namespace;

    @Option(names = "--pin-namespace", description = "Refuse manifests that name another namespace than --namespace.")
    boolean pinNamespace;

    @Option(names = "--allow-cluster-scoped", paramLabel = "KIND", split = ",",
            description = "With --pin-namespace: apply objects of this cluster-scoped kind too (repeatable; others"
                    + " are refused).")
    List<String> allowClusterScoped = new ArrayList<>();

    @Option(names = "--var", paramLabel = "NAME=VALUE",
            description = "Substitute ${NAME} in the manifests (only these; an unknown ${...} is an error).")
    Map<String, String> variables;

    @Option(names = "--image", paramLabel = "CONTAINER=IMAGE", description = "Set the image of every container so named.")
    List<String> images = new ArrayList<>();

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "10m",
            description = "How long to wait for the rollout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--no-rollback", description = "Leave a failed rollout as it is.")
    boolean noRollback;

    @Option(names = "--force-conflicts", description = "Take over fields another field manager owns (a script's"
            + " replicas, say), as kubectl's --force-conflicts does; without it such a field refuses the deploy before"
            + " anything is applied, naming the field and its manager.")
    boolean forceConflicts;

    @Option(names = "--record", paramLabel = "FILE", description = "Write the deploy record as JSON.")
    Path record;

    boolean dryRun() {
        return false;
    }

    @Mixin
    CancelOptions cancel;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Instant started = Instant.now();
        String server = null;
        DeployProgress progress = null;
        try {
            DeployRequest request = DeployRequest.builder()
                    .manifests(manifests)
                    .namespace(namespace)
                    .pinNamespace(pinNamespace)
                    .allowClusterScoped(allowClusterScoped)
                    .variables(variables == null ? null : new LinkedHashMap<>(variables))
                    .images(ImageOverrides.parse(images))
                    .timeout(timeout)
                    .rollbackOnFailure(!noRollback)
                    .dryRun(dryRun())
                    .forceConflicts(forceConflicts)
                    .build();
            Outcome.checkWritable(record);
            ClusterConnection connection = cluster.connection();
            server = connection.serverUrl();
            StopRequest stop = Cancellation.handle(cancel.whatItDoes("rolling the deploy back"), () -> "the"
                    + " manifests are being applied; look at them with k8spd status");
            DeployEngine engine = new DeployEngine();
            DeployProgress p = progress = engine.begin(request, new LocalManifestFiles(Path.of("")), connection,
                    System.out::println);
            Cancellation.left(() -> left(p));
            DeployRecord result = engine.complete(p, connection, System.out::println, stop, cancel.rollBack());
            return Outcome.of(result, record, result.succeeded());
        } catch (DeployException e) {
            return Outcome.refused(e.getMessage(), record, started, server, DeployRecord.Strategy.ROLLING, null);
        } catch (RuntimeException | Error e) {
            Outcome.crashed(e, progress == null ? null : progress.toRecord(Instant.now(), Map.of()), record);
            throw e;
        }
    }

    /** What a forced exit leaves: the workloads still rolling out or back, and how to follow them. */
    private static String left(DeployProgress p) {
        if (!p.waiting()) {
            return "nothing: the deploy has " + p.phase().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        return p.waitingFor() + (p.phase() == DeployProgress.Phase.ROLLING_BACK ? " (rolling back)"
                : " (rolling out, not rolled back)") + "; follow with k8spd status, undo with k8spd rollback";
    }
}
