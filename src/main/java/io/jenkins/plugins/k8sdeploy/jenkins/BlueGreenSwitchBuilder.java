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
 * The freestyle build step for {@link BlueGreenSwitchStep}, with the same fields (but the approval gate), held as one
 * {@link BlueGreenSwitchStep}. It waits on the executor the build holds anyway.
 */
public class BlueGreenSwitchBuilder extends ClusterBuilder<BlueGreenSwitchStep> {
    @DataBoundConstructor
    public BlueGreenSwitchBuilder(BlueGreenSwitchStep step) {
        super(step);
    }

    @Override
    protected void perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws InterruptedException, IOException {
        DeployRunner.switchOver(getStep(), run, workspace, listener);
    }

    @Extension
    public static final class DescriptorImpl extends ClusterBuilderDescriptor<BlueGreenSwitchStep> {
        public DescriptorImpl() {
            super(BlueGreenSwitchStep.class, BlueGreenSwitchBuilder::new);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BlueGreenSwitchBuilder_DisplayName();
        }
    }
}
