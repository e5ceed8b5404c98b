package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** What the k8sDeploy step and builder share: resolve the cluster for the run, call the engine, report its outcome. */
final class DeployRunner {
    private DeployRunner() {}

    static void deploy(ClusterTarget target, String manifests, String namespace, Run<?, ?> run, FilePath workspace,
            TaskListener listener) throws IOException, InterruptedException {
        ClusterConnection cluster = ClusterCredentials.resolve(target, run);
        DeployRequest request = DeployRequest.builder()
                .manifests(splitManifests(manifests))
                .namespace(namespace)
                .build();
        try {
            DeployRecord record = new DeployEngine().deploy(request, new WorkspaceManifestFiles(workspace), cluster,
                    listener.getLogger()::println);
            if (!record.succeeded()) {
                throw new AbortException(record.failure());
            }
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** Manifest sources are separated by commas or new lines; blanks are dropped. */
    static List<String> splitManifests(String manifests) {
        if (manifests == null) {
            return List.of();
        }
        return Arrays.stream(manifests.split("[,\\n]"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
