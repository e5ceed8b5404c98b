package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code blueGreenSwitch}: points a blue-green app's active Service at its preview colour once that colour is fully
 * available (refused, changing nothing, otherwise), or back at the colour that served before with {@code rollback}.
 * By default it then waits, without holding a thread, for the scale-down delay and scales the colour left to zero;
 * with {@code waitForScaleDown: false} it returns right after the verified switch and the next deploy or switch of the
 * app scales it down. Returns the record as a map.
 *
 * <pre>
 * blueGreenSwitch app: 'web', namespace: 'shop', credentialsId: 'prod-kubeconfig'
 * </pre>
 */
public class BlueGreenSwitchStep extends ClusterStep implements BlueGreenSwitchSettings {
    private final String app;
    private String activeService;
    private String previewService;
    private boolean rollback;
    private String scaleDownDelay;
    private boolean waitForScaleDown = true;
    private String analysis;
    private String analysisYaml;
    private String analysisName;
    private ApprovalGate approval;

    @DataBoundConstructor
    public BlueGreenSwitchStep(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    @Override
    public String getApp() {
        return app;
    }

    @Override
    public String getActiveService() {
        return activeService;
    }

    @DataBoundSetter
    public void setActiveService(String activeService) {
        this.activeService = Util.fixEmptyAndTrim(activeService);
    }

    @Override
    public String getPreviewService() {
        return previewService;
    }

    @DataBoundSetter
    public void setPreviewService(String previewService) {
        this.previewService = Util.fixEmptyAndTrim(previewService);
    }

    @Override
    public boolean isRollback() {
        return rollback;
    }

    @DataBoundSetter
    public void setRollback(boolean rollback) {
        this.rollback = rollback;
    }

    @Override
    public String getScaleDownDelay() {
        return scaleDownDelay;
    }

    @DataBoundSetter
    public void setScaleDownDelay(String scaleDownDelay) {
        this.scaleDownDelay = Util.fixEmptyAndTrim(scaleDownDelay);
    }

    @Override
    public boolean isWaitForScaleDown() {
        return waitForScaleDown;
    }

    @DataBoundSetter
    public void setWaitForScaleDown(boolean waitForScaleDown) {
        this.waitForScaleDown = waitForScaleDown;
    }

    @Override
    public String getAnalysis() {
        return analysis;
    }

    @DataBoundSetter
    public void setAnalysis(String analysis) {
        this.analysis = Util.fixEmptyAndTrim(analysis);
    }

    @Override
    public String getAnalysisYaml() {
        return analysisYaml;
    }

    @DataBoundSetter
    public void setAnalysisYaml(String analysisYaml) {
        this.analysisYaml = Util.fixEmptyAndTrim(analysisYaml);
    }

    @Override
    public String getAnalysisName() {
        return analysisName;
    }

    @DataBoundSetter
    public void setAnalysisName(String analysisName) {
        this.analysisName = Util.fixEmptyAndTrim(analysisName);
    }

    /** An approval gate asked before the switch over: who may answer and how long they have; null for none. */
    public ApprovalGate getApproval() {
        return approval;
    }

    @DataBoundSetter
    public void setApproval(ApprovalGate approval) {
        this.approval = approval;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            if (approval != null) {
                if (rollback) {
                    throw new DeployException("approval gates a switch over to the preview; a switch back"
                            + " (rollback: true) is not gated. Remove approval or rollback.");
                }
                approval.policy();
            }
            return new BlueGreenSwitchExecution(this, context, Requests.blueGreenSwitch(this));
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    @Extension
    public static final class DescriptorImpl extends ClusterStepDescriptor {
        @Override
        public String getFunctionName() {
            return "blueGreenSwitch";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BlueGreenSwitchStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public FormValidation doCheckApp(@QueryParameter String value) {
            return FormChecks.app(value);
        }

        public FormValidation doCheckScaleDownDelay(@QueryParameter String value) {
            return FormChecks.timeout(value);
        }
    }
}
