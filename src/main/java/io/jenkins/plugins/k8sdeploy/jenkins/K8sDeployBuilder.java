package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.IOException;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;

/**
 * The freestyle build step for what {@link K8sDeployStep} does in a Pipeline, with the same fields (but the approval
 * gate), held as one {@link K8sDeployStep}. A freestyle build holds its executor while it runs anyway, so this one
 * waits for the rollout on it, canaries and blue-green included (a canary's approval then holds the executor too:
 * prefer Pipeline for plans with approvals).
 */
public class K8sDeployBuilder extends ClusterBuilder<K8sDeployStep> {
    @DataBoundConstructor
    public K8sDeployBuilder(K8sDeployStep step) {
        super(step);
    }

    @Override
    protected void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        K8sDeployStep p = getStep();
        DeployRunner.deploy(p, p, p, env, run, workspace, listener);
    }

    @Extension
    public static final class DescriptorImpl extends ClusterBuilderDescriptor<K8sDeployStep> {
        public DescriptorImpl() {
            super(K8sDeployStep.class, K8sDeployBuilder::new);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.K8sDeployBuilder_DisplayName();
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
