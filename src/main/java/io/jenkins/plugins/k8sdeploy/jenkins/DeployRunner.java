package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.IOException;
import java.util.Map;

/** The freestyle builder's deploy: resolve the cluster for the run, deploy on this thread, fail the build on failure. */
final class DeployRunner {
    private DeployRunner() {}

    static DeployRecord deploy(DeploySettings settings, Map<String, String> env, Run<?, ?> run, FilePath workspace,
            TaskListener listener) throws IOException, InterruptedException {
        ClusterConnection cluster = ClusterCredentials.resolve(settings, run);
        try {
            DeployRecord record = new DeployEngine().deploy(Requests.deploy(settings, env),
                    new WorkspaceManifestFiles(workspace), cluster, listener.getLogger()::println);
            if (!record.succeeded()) {
                throw new AbortException(record.failure());
            }
            return record;
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
