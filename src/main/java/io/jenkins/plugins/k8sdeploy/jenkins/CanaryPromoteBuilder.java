package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import java.io.IOException;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The freestyle build step for {@link CanaryPromoteStep}, with the same fields. It waits on the executor the build holds
 * anyway.
 */
public class CanaryPromoteBuilder extends ClusterBuilder implements CanaryPromoteSettings {
    private final String app;
    private String namespace;
    private String weight;
    private boolean full;
    private boolean abort;
    private String timeout;

    @DataBoundConstructor
    public CanaryPromoteBuilder(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    @Override
    public String getApp() {
        return app;
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
    public String getWeight() {
        return weight;
    }

    /** A String, so that an empty form field means "no weight" (an Integer field would bind it as 0). */
    @DataBoundSetter
    public void setWeight(String weight) {
        this.weight = Util.fixEmptyAndTrim(weight);
    }

    @Override
    public boolean isFull() {
        return full;
    }

    @DataBoundSetter
    public void setFull(boolean full) {
        this.full = full;
    }

    @Override
    public boolean isAbort() {
        return abort;
    }

    @DataBoundSetter
    public void setAbort(boolean abort) {
        this.abort = abort;
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
    protected void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        DeployRunner.promote(this, run, listener);
    }

    @Extension
    public static final class DescriptorImpl extends ClusterBuilderDescriptor {
        public DescriptorImpl() {
            super(CanaryPromoteStep.class);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CanaryPromoteBuilder_DisplayName();
        }

        public FormValidation doCheckApp(@QueryParameter String value) {
            return FormChecks.app(value);
        }

        public FormValidation doCheckWeight(@QueryParameter String value) {
            return FormChecks.weight(value);
        }
    }
}
