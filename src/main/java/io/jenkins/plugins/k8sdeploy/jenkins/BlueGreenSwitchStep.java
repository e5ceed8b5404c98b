package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngine;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenSwitchRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.GatedSwitch;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout;
import hudson.FilePath;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.io.Serial;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
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
            return new Execution(this, context, Requests.blueGreenSwitch(this));
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /**
     * The switch in the first unit, then the check of the endpoints and the wait for the scale-down on a timer; see
     * {@link RolloutExecution}. A stopped build leaves the Services as they are; stopped while waiting for the
     * scale-down, the switch stands and the next deploy or switch scales the old colour down.
     */
    static final class Execution extends RolloutExecution {
        @Serial
        private static final long serialVersionUID = 1L;
        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
                justification = "only the first unit uses it; a restart before that unit finished fails the step")
        private final transient BlueGreenSwitchRequest request;
        private final transient BlueGreenSwitchStep step;
        private final boolean rollback;
        private AnalysisSources analysisSources;
        /** The analysis after a gated switch, to build again after a restart. */
        private String gatedAnalysis;

        Execution(BlueGreenSwitchStep step, StepContext context, BlueGreenSwitchRequest request) {
            super(context, step, false);
            this.request = request;
            this.step = step;
            this.rollback = step.isRollback();
        }

        @Override
        protected Rollout start(ClusterConnection connection, Consumer<String> log) throws Exception {
            BlueGreenEngine engine = new BlueGreenEngine();
            if (rollback) {
                return engine.switchBack(request, connection, log);
            }
            AnalysisPort analyses = AnalysisPort.NONE;
            if (request.analysis() != null) {
                analysisSources = CanaryAnalyses.read(step, List.of(request.analysis()),
                        getContext().get(FilePath.class), log);
                analyses = CanaryAnalyses.build(analysisSources, List.of(request.analysis()),
                        getContext().get(Run.class));
            }
            if (step.getApproval() != null) {
                // Nothing changes until someone proceeds; the switch request is kept in the gate's state.
                approvers(step.getApproval().getSubmitter());
                gatedAnalysis = request.analysis();
                return GateRollout.before(new GatedSwitch(request), step.getApproval().policy(),
                        DeployRecord.Strategy.BLUE_GREEN, request.target().app()).withAnalysis(analyses);
            }
            return engine.switchOver(request, connection, log).withAnalysis(analyses);
        }

        @Override
        protected void reattach(Rollout rollout) {
            if (rollout instanceof GateRollout gate) {
                if (analysisSources != null && gatedAnalysis != null) {
                    try {
                        gate.withAnalysis(CanaryAnalyses.rebuild(analysisSources, List.of(gatedAnalysis),
                                getContext().get(Run.class), log()));
                    } catch (Exception e) {
                        gate.withAnalysis(new UnavailableAnalysis("After the restart, the build could not be read: "
                                + e.getMessage()));
                    }
                }
                return;
            }
            if (analysisSources == null || !(rollout instanceof BlueGreenRollout bg) || bg.analysisName() == null) {
                return;
            }
            try {
                bg.withAnalysis(CanaryAnalyses.rebuild(analysisSources, List.of(bg.analysisName()),
                        getContext().get(Run.class), log()));
            } catch (Exception e) {
                bg.withAnalysis(new UnavailableAnalysis("After the restart, the build could not be read: "
                        + e.getMessage()));
            }
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
