package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code canaryPromote}: moves a canary on from outside its plan. With no option it promotes past the current pause or
 * approval of the pipeline that drives the canary (or fully, when nobody drives it any more); {@code weight} moves a
 * canary nobody drives to that weight, {@code full} promotes fully, {@code abort} sends all traffic back to stable.
 * Waits without holding a thread until it is done; returns the record as a map.
 *
 * <pre>
 * canaryPromote app: 'web', namespace: 'shop', credentialsId: 'prod-kubeconfig'
 * </pre>
 */
public class CanaryPromoteStep extends ClusterStep implements CanaryPromoteSettings {
    private final String app;
    private String weight;
    private boolean full;
    private boolean abort;

    @DataBoundConstructor
    public CanaryPromoteStep(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    @Override
    public String getApp() {
        return app;
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
    public StepExecution start(StepContext context) throws Exception {
        try {
            return new CanaryPromoteExecution(this, context, Requests.canaryPromote(this));
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    @Extension
    public static final class DescriptorImpl extends ClusterStepDescriptor {
        @Override
        public String getFunctionName() {
            return "canaryPromote";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CanaryPromoteStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public FormValidation doCheckApp(@QueryParameter String value) {
            return FormChecks.app(value);
        }

        public FormValidation doCheckWeight(@QueryParameter String value) {
            return FormChecks.weight(value);
        }
    }
}
