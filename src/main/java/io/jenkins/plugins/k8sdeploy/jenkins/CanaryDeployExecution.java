package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRollout;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.io.Serial;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A canary: started in the first unit, its plan driven on a timer; see {@link RolloutExecution}. Its analyses hold
 * providers and credentials, so only what they are made from is kept (text, no secret), and they are made again,
 * with credentials looked up again for the run, after a restart.
 */
final class CanaryDeployExecution extends RolloutExecution {
    @Serial
    private static final long serialVersionUID = 1L;
    private final transient K8sDeployStep step;
    private AnalysisSources analysisSources;
    private ArrayList<String> analysisNames;

    CanaryDeployExecution(K8sDeployStep step, StepContext context) {
        super(context, step, step.isRollback());
        this.step = step;
    }

    @Override
    protected Rollout start(ClusterConnection connection, Consumer<String> log) throws Exception {
        StepContext c = getContext();
        FilePath workspace = c.get(FilePath.class);
        CanaryRequest request = Requests.canary(step, step, c.get(EnvVars.class), driverName());
        if (step.getApproval() != null) {
            // A gate given to the step and not written in the plan waits before full promotion.
            request = new CanaryRequest(request.deploy(), request.app(),
                    request.plan().withApprovalBeforePromotion(), request.router(), request.stableService(),
                    request.canaryService(), request.driver());
        }
        List<String> names = request.plan().analyses();
        AnalysisSources sources = CanaryAnalyses.read(step, names, workspace, log);
        AnalysisPort analyses = CanaryAnalyses.build(sources, names, c.get(Run.class));
        analysisSources = sources;
        analysisNames = new ArrayList<>(names);
        Rollout rollout = new CanaryEngine(Clock.systemUTC()).start(request, new WorkspaceManifestFiles(workspace),
                connection, analyses, log);
        if (step.getApproval() != null && rollout instanceof CanaryRollout canary) {
            canary.withApprovalPolicy(step.getApproval().policy());
            approvers(step.getApproval().getSubmitter());
            if (step.getApproval().getSubmitter() != null) {
                // Named submitters decide in Jenkins only: a promotion written on the Deployment is refused.
                canary.approvalsDecidedOnlyBy(step.getApproval().getSubmitter());
            }
        }
        return rollout;
    }

    @Override
    protected void reattach(Rollout rollout) {
        if (analysisSources == null || !(rollout instanceof CanaryRollout canary)) {
            return;
        }
        Consumer<String> log;
        Run<?, ?> run;
        try {
            log = log();
            run = getContext().get(Run.class);
        } catch (Exception e) {
            canary.withAnalysis(new UnavailableAnalysis("After the restart, the build could not be read: "
                    + e.getMessage()));
            return;
        }
        canary.withAnalysis(CanaryAnalyses.rebuild(analysisSources, analysisNames, run, log));
    }
}
