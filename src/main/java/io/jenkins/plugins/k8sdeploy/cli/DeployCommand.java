package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ImageOverrides;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Override
    public Integer call() throws IOException, InterruptedException {
        try {
            DeployRequest request = DeployRequest.builder()
                    .manifests(manifests)
                    .namespace(namespace)
                    .pinNamespace(pinNamespace)
                    .variables(variables == null ? null : new LinkedHashMap<>(variables))
                    .images(ImageOverrides.parse(images))
                    .timeout(timeout)
                    .rollbackOnFailure(!noRollback)
                    .dryRun(dryRun())
                    .forceConflicts(forceConflicts)
                    .build();
            DeployRecord result = new DeployEngine().deploy(request, new LocalManifestFiles(Path.of("")),
                    cluster.connection(), System.out::println);
            return Outcome.of(result, record, result.succeeded());
        } catch (DeployException e) {
            System.err.println("k8spd: " + e.getMessage());
            return 1;
        }
    }
}
