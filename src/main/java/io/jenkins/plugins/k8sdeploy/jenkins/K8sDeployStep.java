package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngine;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenSwitchRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.GatedSwitch;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRollout;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.io.Serial;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code k8sDeploy}: applies manifests to a cluster whose credentials are in the Jenkins credentials store, waits until
 * every workload has rolled out, and rolls back the ones that fail. Returns the deploy record as a map.
 *
 * <pre>
 * def record = k8sDeploy manifests: 'k8s/*.yaml', credentialsId: 'prod-kubeconfig', namespace: 'shop',
 *                        images: "web=registry.example/web:${env.GIT_COMMIT}"
 * </pre>
 *
 * <p>With {@code strategy: 'canary'} the app's Deployment is rolled out as a canary through {@code plan}; with
 * {@code strategy: 'blueGreen'} as a new colour beside the active one. A canary plan's {@code analysis NAME} steps run
 * analyses from {@code analysisYaml}, the workspace file {@code analysis} and the global configuration
 * ({@link ProgressiveDeliveryConfiguration}), in that order of precedence.
 */
public class K8sDeployStep extends ClusterStep implements DeploySettings, StrategySettings, AnalysisSettings {
    private final String manifests;
    private String yaml;
    private String namespace;
    private boolean pinNamespace;
    private String allowClusterScoped;
    private boolean forceConflicts;
    private String images;
    private boolean substitute;
    private String variables;
    private String timeout;
    private boolean rollback = true;
    private boolean dryRun;
    private String strategy;
    private String app;
    private String plan;
    private String analysis;
    private String analysisYaml;
    private String router;
    private String routerName;
    private String routes;
    private String stableService;
    private String canaryService;
    private String stableSubset;
    private String canarySubset;
    private String destinationRule;
    private String activeService;
    private String previewService;
    private String scaleDownDelay;
    private boolean autoSwitch;
    private ApprovalGate approval;

    @DataBoundConstructor
    public K8sDeployStep(String manifests) {
        this.manifests = Util.fixEmptyAndTrim(manifests);
    }

    @Override
    public String getManifests() {
        return manifests;
    }

    @Override
    public String getYaml() {
        return yaml;
    }

    @DataBoundSetter
    public void setYaml(String yaml) {
        this.yaml = Util.fixEmptyAndTrim(yaml);
    }

    @Override
    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    @Override
    public boolean isPinNamespace() {
        return pinNamespace;
    }

    @DataBoundSetter
    public void setPinNamespace(boolean pinNamespace) {
        this.pinNamespace = pinNamespace;
    }

    @Override
    public String getAllowClusterScoped() {
        return allowClusterScoped;
    }

    /** Kinds such as {@code CustomResourceDefinition} a pinned deploy may apply although they are cluster-scoped. */
    @DataBoundSetter
    public void setAllowClusterScoped(String allowClusterScoped) {
        this.allowClusterScoped = Util.fixEmptyAndTrim(allowClusterScoped);
    }

    public boolean isForceConflicts() {
        return forceConflicts;
    }

    @DataBoundSetter
    public void setForceConflicts(boolean forceConflicts) {
        this.forceConflicts = forceConflicts;
    }

    @Override
    public String getImages() {
        return images;
    }

    @DataBoundSetter
    public void setImages(String images) {
        this.images = Util.fixEmptyAndTrim(images);
    }

    @Override
    public boolean isSubstitute() {
        return substitute;
    }

    @DataBoundSetter
    public void setSubstitute(boolean substitute) {
        this.substitute = substitute;
    }

    @Override
    public String getVariables() {
        return variables;
    }

    @DataBoundSetter
    public void setVariables(String variables) {
        this.variables = Util.fixEmptyAndTrim(variables);
    }

    @Override
    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
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
    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    @Override
    public String getStrategy() {
        return strategy;
    }

    @DataBoundSetter
    public void setStrategy(String strategy) {
        this.strategy = Util.fixEmptyAndTrim(strategy);
    }

    @Override
    public String getApp() {
        return app;
    }

    @DataBoundSetter
    public void setApp(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    @Override
    public String getPlan() {
        return plan;
    }

    @DataBoundSetter
    public void setPlan(String plan) {
        this.plan = Util.fixEmptyAndTrim(plan);
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

    /** Kept as written (YAML's indentation matters) but for Windows line ends; blank means none. */
    @DataBoundSetter
    public void setAnalysisYaml(String analysisYaml) {
        this.analysisYaml = analysisYaml == null || analysisYaml.isBlank() ? null : analysisYaml.replace("\r\n", "\n");
    }

    @Override
    public String getRouter() {
        return router;
    }

    @DataBoundSetter
    public void setRouter(String router) {
        this.router = Util.fixEmptyAndTrim(router);
    }

    @Override
    public String getRouterName() {
        return routerName;
    }

    @DataBoundSetter
    public void setRouterName(String routerName) {
        this.routerName = Util.fixEmptyAndTrim(routerName);
    }

    @Override
    public String getRoutes() {
        return routes;
    }

    @DataBoundSetter
    public void setRoutes(String routes) {
        this.routes = Util.fixEmptyAndTrim(routes);
    }

    @Override
    public String getStableService() {
        return stableService;
    }

    @DataBoundSetter
    public void setStableService(String stableService) {
        this.stableService = Util.fixEmptyAndTrim(stableService);
    }

    @Override
    public String getCanaryService() {
        return canaryService;
    }

    @DataBoundSetter
    public void setCanaryService(String canaryService) {
        this.canaryService = Util.fixEmptyAndTrim(canaryService);
    }

    @Override
    public String getStableSubset() {
        return stableSubset;
    }

    @DataBoundSetter
    public void setStableSubset(String stableSubset) {
        this.stableSubset = Util.fixEmptyAndTrim(stableSubset);
    }

    @Override
    public String getCanarySubset() {
        return canarySubset;
    }

    @DataBoundSetter
    public void setCanarySubset(String canarySubset) {
        this.canarySubset = Util.fixEmptyAndTrim(canarySubset);
    }

    @Override
    public String getDestinationRule() {
        return destinationRule;
    }

    @DataBoundSetter
    public void setDestinationRule(String destinationRule) {
        this.destinationRule = Util.fixEmptyAndTrim(destinationRule);
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
    public String getScaleDownDelay() {
        return scaleDownDelay;
    }

    @DataBoundSetter
    public void setScaleDownDelay(String scaleDownDelay) {
        this.scaleDownDelay = Util.fixEmptyAndTrim(scaleDownDelay);
    }

    @Override
    public boolean isAutoSwitch() {
        return autoSwitch;
    }

    @DataBoundSetter
    public void setAutoSwitch(boolean autoSwitch) {
        this.autoSwitch = autoSwitch;
    }

    /**
     * An approval gate: canary, what the plan's approval steps ask; rolling, asked before anything is applied;
     * blue-green, asked once the new colour is ready on the preview, before the switch. Who may answer and how long
     * they have; null for no gate (canary: the defaults).
     */
    public ApprovalGate getApproval() {
        return approval;
    }

    @DataBoundSetter
    public void setApproval(ApprovalGate approval) {
        this.approval = approval;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        DeployRecord.Strategy name;
        try {
            name = Requests.strategy(this, this);
            if (approval != null) {
                if (dryRun) {
                    throw new DeployException("approval and dryRun do not go together: a dry run applies nothing,"
                            + " so there is nothing to approve.");
                }
                approval.policy();
            }
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
        return switch (name) {
            case DeployRecord.Strategy.CANARY -> new CanaryExecution(this, context);
            case DeployRecord.Strategy.BLUE_GREEN -> new BlueGreenExecution(this, context);
            default -> approval != null ? new GatedExecution(this, context) : new Execution(this, context);
        };
    }

    /** Applies on a timer thread, then waits without holding one; see {@link ProgressExecution}. */
    static final class Execution extends ProgressExecution {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient K8sDeployStep step;

        Execution(K8sDeployStep step, StepContext context) {
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

    /**
     * A rolling deploy behind an approval gate: nothing is applied until someone proceeds (or the timeout proceeds);
     * the wait holds no thread. The resolved request (plain data) is kept in the gate's state without its
     * substitution variables: with {@code substitute: true} they are the build's whole environment, secrets bound by
     * {@code withCredentials} included, so they are read from the step context again when needed, after a restart
     * too, as the workspace is.
     */
    static final class GatedExecution extends RolloutExecution {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient K8sDeployStep step;
        /** What the variables are made from again after a restart: the step's own lines (no environment). */
        private final boolean substitute;
        private final String ownVariables;

        GatedExecution(K8sDeployStep step, StepContext context) {
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

    /**
     * A canary: started in the first unit, its plan driven on a timer; see {@link RolloutExecution}. Its analyses hold
     * providers and credentials, so only what they are made from is kept (text, no secret), and they are made again,
     * with credentials looked up again for the run, after a restart.
     */
    static final class CanaryExecution extends RolloutExecution {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient K8sDeployStep step;
        private AnalysisSources analysisSources;
        private ArrayList<String> analysisNames;

        CanaryExecution(K8sDeployStep step, StepContext context) {
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

    /**
     * Blue-green: the new colour applied in the first unit, then waited for (and switched to, on a first deploy or
     * with autoSwitch) on a timer; see {@link RolloutExecution}. A stopped build scales the new colour down, or
     * switches back, unless rollback is off.
     */
    static final class BlueGreenExecution extends RolloutExecution {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient K8sDeployStep step;

        BlueGreenExecution(K8sDeployStep step, StepContext context) {
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

    @Extension
    public static final class DescriptorImpl extends ClusterStepDescriptor {
        @Override
        public String getFunctionName() {
            return "k8sDeploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.K8sDeployStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, EnvVars.class, TaskListener.class);
        }

        public FormValidation doCheckManifests(@QueryParameter String value) {
            return FormChecks.manifests(value);
        }

        public ListBoxModel doFillStrategyItems() {
            return FormChecks.strategies();
        }

        public ListBoxModel doFillRouterItems() {
            return FormChecks.routers();
        }

        public FormValidation doCheckPlan(@QueryParameter String value) {
            return FormChecks.plan(value);
        }

        public FormValidation doCheckAnalysisYaml(@QueryParameter String value) {
            return FormChecks.analysisYaml(value);
        }

        public FormValidation doCheckScaleDownDelay(@QueryParameter String value) {
            return FormChecks.timeout(value);
        }
    }
}
