package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.RollbackEngine;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** The freestyle build step for {@link K8sRollbackStep}, with the same fields. */
public class K8sRollbackBuilder extends Builder implements SimpleBuildStep, RollbackSettings {
    private final String target;
    private String namespace;
    private long toRevision;
    private String timeout;
    private String credentialsId;
    private String serverUrl;
    private String caCertificate;
    private String context;

    @DataBoundConstructor
    public K8sRollbackBuilder(String target) {
        this.target = Util.fixEmptyAndTrim(target);
    }

    @Override
    public String getTarget() {
        return target;
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
    public long getToRevision() {
        return toRevision;
    }

    @DataBoundSetter
    public void setToRevision(long toRevision) {
        this.toRevision = toRevision;
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
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @Override
    public String getServerUrl() {
        return serverUrl;
    }

    @DataBoundSetter
    public void setServerUrl(String serverUrl) {
        this.serverUrl = Util.fixEmptyAndTrim(serverUrl);
    }

    @Override
    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = Util.fixEmptyAndTrim(caCertificate);
    }

    @Override
    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    @Override
    public void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        ClusterConnection cluster = ClusterCredentials.resolve(this, run);
        RollbackRequest request = RollbackRequest.of(this);
        try {
            DeployRecord record = new RollbackEngine().rollback(cluster, request.target(), request.namespace(cluster),
                    request.toRevision(), request.timeout(), listener.getLogger()::println);
            if (!record.succeeded()) {
                throw new AbortException(record.failure());
            }
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    @Extension
    @Symbol("k8sRollbackBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.K8sRollbackBuilder_DisplayName();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String credentialsId, @QueryParameter String serverUrl) {
            return ClusterCredentials.fill(item, credentialsId, serverUrl);
        }

        public FormValidation doCheckServerUrl(@QueryParameter String value) {
            return FormChecks.serverUrl(value);
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return FormChecks.timeout(value);
        }
    }
}
