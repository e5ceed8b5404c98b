package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.RollbackEngine;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import java.io.Serial;
import java.util.Set;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code k8sRollback}: puts a workload back to its previous revision (or a named one) and waits until it serves
 * again, without holding a thread. Returns the record as a map.
 *
 * <pre>
 * k8sRollback target: 'deployment/web', namespace: 'shop', credentialsId: 'prod-kubeconfig'
 * </pre>
 */
public class K8sRollbackStep extends Step implements RollbackSettings {
    private final String target;
    private String namespace;
    private long toRevision;
    private String timeout;
    private String credentialsId;
    private String serverUrl;
    private String caCertificate;
    private String context;

    @DataBoundConstructor
    public K8sRollbackStep(String target) {
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
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends ProgressExecution {
        @Serial
        private static final long serialVersionUID = 1L;
        private final RollbackRequest request;

        Execution(K8sRollbackStep step, StepContext context) {
            super(context, step, false);
            this.request = RollbackRequest.of(step);
        }

        @Override
        protected DeployProgress begin(ClusterConnection connection, Consumer<String> log) throws Exception {
            return new RollbackEngine().begin(connection, request.target(), request.namespace(connection),
                    request.toRevision(), request.timeout(), log);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "k8sRollback";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.K8sRollbackStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
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
