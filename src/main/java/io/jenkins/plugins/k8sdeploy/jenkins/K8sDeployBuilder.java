package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import org.kohsuke.stapler.DataBoundConstructor;

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
    protected void perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
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
    }
}
