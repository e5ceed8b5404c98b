package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import java.io.Serial;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** Applies on a timer thread, then waits without holding one; see {@link ProgressExecution}. */
final class RollingDeployExecution extends ProgressExecution {
    @Serial
    private static final long serialVersionUID = 1L;
    private final transient K8sDeployStep step;

    RollingDeployExecution(K8sDeployStep step, StepContext context) {
        super(context, step, step.isRollback());
        this.step = step;
    }

    @Override
    protected DeployProgress begin(ClusterConnection connection, Consumer<String> log) throws Exception {
        StepContext c = getContext();
        EnvVars env = c.get(EnvVars.class);
        return new DeployEngine().begin(Requests.deploy(step, env),
                new WorkspaceManifestFiles(c.get(FilePath.class)), connection, log);
    }
}
