package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngine;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenSwitchRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.GatedSwitch;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.io.Serial;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Blue-green: the new colour applied in the first unit, then waited for (and switched to, on a first deploy or
 * with autoSwitch) on a timer; see {@link RolloutExecution}. A stopped build scales the new colour down, or
 * switches back, unless rollback is off.
 */
final class BlueGreenDeployExecution extends RolloutExecution {
    @Serial
    private static final long serialVersionUID = 1L;
    private final transient K8sDeployStep step;

    BlueGreenDeployExecution(K8sDeployStep step, StepContext context) {
        super(context, step, step.isRollback());
        this.step = step;
    }

    @Override
    protected Rollout start(ClusterConnection connection, Consumer<String> log) throws Exception {
        StepContext c = getContext();
        BlueGreenRequest request = Requests.blueGreen(step, step, c.get(EnvVars.class));
        WorkspaceManifestFiles files = new WorkspaceManifestFiles(c.get(FilePath.class));
        if (step.getApproval() == null) {
            return new BlueGreenEngine().deploy(request, files, connection, log);
        }
        // With a gate: deploy the new colour to the preview only, ask, then switch (autoSwitch once approved).
        BlueGreenRollout preview = new BlueGreenEngine().deploy(Requests.previewOnly(request), files, connection,
                log);
        approvers(step.getApproval().getSubmitter());
        BlueGreenSwitchRequest switchOver = Requests.switchAfterGate(request, preview.target());
        return GateRollout.between(preview, new GatedSwitch(switchOver), step.getApproval().policy(),
                DeployRecord.Strategy.BLUE_GREEN, preview.target().app());
    }
}
