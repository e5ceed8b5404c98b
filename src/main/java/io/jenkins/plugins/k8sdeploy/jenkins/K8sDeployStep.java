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
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.util.Set;
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
public class K8sDeployStep extends StrategyStep implements DeploySettings, AnalysisSettings {
    private final String manifests;
    private String yaml;
    private boolean pinNamespace;
    private String allowClusterScoped;
    private boolean forceConflicts;
    private String images;
    private boolean substitute;
    private String variables;
    private boolean rollback = true;
    private boolean dryRun;
    private String analysis;
    private String analysisYaml;
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
            case CANARY -> new CanaryDeployExecution(this, context);
            case BLUE_GREEN -> new BlueGreenDeployExecution(this, context);
            default -> approval != null
                    ? new GatedDeployExecution(this, context)
                    : new RollingDeployExecution(this, context);
        };
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
