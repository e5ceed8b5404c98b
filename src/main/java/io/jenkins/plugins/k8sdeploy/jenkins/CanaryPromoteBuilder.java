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
 * The freestyle build step for {@link CanaryPromoteStep}, with the same fields, held as one {@link CanaryPromoteStep}.
 * It waits on the executor the build holds anyway.
 */
public class CanaryPromoteBuilder extends ClusterBuilder<CanaryPromoteStep> {
    @DataBoundConstructor
    public CanaryPromoteBuilder(CanaryPromoteStep step) {
        super(step);
    }

    @Override
    protected void perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws InterruptedException, IOException {
        DeployRunner.promote(getStep(), run, listener);
    }

    @Extension
    public static final class DescriptorImpl extends ClusterBuilderDescriptor<CanaryPromoteStep> {
        public DescriptorImpl() {
            super(CanaryPromoteStep.class, CanaryPromoteBuilder::new);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CanaryPromoteBuilder_DisplayName();
        }
    }
}
