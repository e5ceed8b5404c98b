package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.FilePath;
import hudson.model.Run;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngine;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenSwitchRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.GatedSwitch;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.io.Serial;
import java.util.List;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The switch in the first unit, then the check of the endpoints and the wait for the scale-down on a timer; see
 * {@link RolloutExecution}. A stopped build leaves the Services as they are; stopped while waiting for the
 * scale-down, the switch stands and the next deploy or switch scales the old colour down.
 */
final class BlueGreenSwitchExecution extends RolloutExecution {
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

    BlueGreenSwitchExecution(BlueGreenSwitchStep step, StepContext context, BlueGreenSwitchRequest request) {
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
