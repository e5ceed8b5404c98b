package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.io.Serial;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A rolling deploy behind an approval gate: nothing is applied until someone proceeds (or the timeout proceeds);
 * the wait holds no thread. The resolved request (plain data) is kept in the gate's state without its
 * substitution variables: with {@code substitute: true} they are the build's whole environment, secrets bound by
 * {@code withCredentials} included, so they are read from the step context again when needed, after a restart
 * too, as the workspace is.
 */
final class GatedDeployExecution extends RolloutExecution {
    @Serial
    private static final long serialVersionUID = 1L;
    private final transient K8sDeployStep step;
    /** What the variables are made from again after a restart: the step's own lines (no environment). */
    private final boolean substitute;
    private final String ownVariables;

    GatedDeployExecution(K8sDeployStep step, StepContext context) {
        super(context, step, step.isRollback());
        this.step = step;
        this.substitute = step.isSubstitute();
        this.ownVariables = step.getVariables();
    }

    @Override
    protected Rollout start(ClusterConnection connection, Consumer<String> log) throws Exception {
        StepContext c = getContext();
        DeployRequest request = Requests.deploy(step, c.get(EnvVars.class));
        approvers(step.getApproval().getSubmitter());
        return GateRollout.before(GateRollout.Deploy.of(request), step.getApproval().policy(),
                DeployRecord.Strategy.ROLLING, null).withFiles(new WorkspaceManifestFiles(c.get(FilePath.class)))
                .withVariables(request.variables());
    }

    @Override
    protected void reattach(Rollout rollout) {
        if (rollout instanceof GateRollout gate) {
            try {
                gate.withFiles(new WorkspaceManifestFiles(getContext().get(FilePath.class)));
            } catch (Exception e) {
                // Left without files: starting the deploy then fails saying the manifests cannot be read.
            }
            try {
                gate.withVariables(Requests.variables(substitute, ownVariables, getContext().get(EnvVars.class)));
            } catch (Exception e) {
                // Left without variables: starting the deploy then fails saying so; nothing is applied.
            }
        }
    }
}
