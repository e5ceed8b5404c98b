package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * An approval gate: what is asked, who may answer, and how long they have. On a canary, its {@code approval} plan
 * steps (and an analysis that cannot tell) ask with it; on a rolling k8sDeploy it is asked before anything is applied;
 * on a blue-green k8sDeploy and on blueGreenSwitch, before the switch. A Pipeline map binds to it:
 *
 * <pre>
 * k8sDeploy ..., strategy: 'canary', plan: '20%, approval, 100%',
 *           approval: [message: 'Ship it?', submitter: 'release-managers', timeout: '30m']
 * </pre>
 *
 * <p>The mapping to the engine's policy and its checks are in {@link GateSettings} (plain Java, tested offline).
 */
public class ApprovalGate implements Describable<ApprovalGate> {
    private String message;
    private String submitter;
    private String timeout;
    private String onTimeout;

    @DataBoundConstructor
    public ApprovalGate() {}

    public String getMessage() {
        return message;
    }

    @DataBoundSetter
    public void setMessage(String message) {
        this.message = Util.fixEmptyAndTrim(message);
    }

    /** User ids or group names, separated by commas; blank for whoever may build the job. */
    public String getSubmitter() {
        return submitter;
    }

    @DataBoundSetter
    public void setSubmitter(String submitter) {
        this.submitter = Util.fixEmptyAndTrim(submitter);
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
    }

    /** "abort" (default) or "proceed". */
    public String getOnTimeout() {
        return onTimeout;
    }

    @DataBoundSetter
    public void setOnTimeout(String onTimeout) {
        this.onTimeout = Util.fixEmptyAndTrim(onTimeout);
    }

    /** The engine's policy; a bad timeout or onTimeout is a {@link DeployException} saying what was expected. */
    Approval.Policy policy() throws DeployException {
        return GateSettings.policy(message, timeout, onTimeout);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<ApprovalGate> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Approval gate";
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return value == null || value.isBlank() ? FormValidation.ok() : FormChecks.timeout(value);
        }

        public ListBoxModel doFillOnTimeoutItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("Abort", GateSettings.ABORT);
            m.add("Proceed", GateSettings.PROCEED);
            return m;
        }

        public FormValidation doCheckOnTimeout(@QueryParameter String value) {
            try {
                GateSettings.proceedOnTimeout(value);
                return FormValidation.ok();
            } catch (DeployException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
