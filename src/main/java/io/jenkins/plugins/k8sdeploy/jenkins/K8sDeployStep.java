package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code k8sDeploy}: deploys manifests to a Kubernetes cluster whose credentials are in the Jenkins credentials store.
 *
 * <pre>
 * k8sDeploy manifests: 'k8s/*.yaml', credentialsId: 'prod-kubeconfig', namespace: 'shop'
 * </pre>
 */
public class K8sDeployStep extends Step implements ClusterTarget {
    private final String manifests;
    private String credentialsId;
    private String serverUrl;
    private String caCertificate;
    private String context;
    private String namespace;

    @DataBoundConstructor
    public K8sDeployStep(String manifests) {
        this.manifests = Util.fixEmptyAndTrim(manifests);
    }

    public String getManifests() {
        return manifests;
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

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Connecting and checking credentials is short; the long waits of a rollout will not run on this thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Void> {
        private static final long serialVersionUID = 1L;
        private final transient K8sDeployStep step;

        Execution(K8sDeployStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Void run() throws Exception {
            StepContext c = getContext();
            DeployRunner.deploy(step, step.manifests, step.namespace, c.get(Run.class), c.get(FilePath.class),
                    c.get(TaskListener.class));
            return null;
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
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
            return Set.of(Run.class, FilePath.class, TaskListener.class);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String credentialsId, @QueryParameter String serverUrl) {
            return ClusterCredentials.fill(item, credentialsId, serverUrl);
        }

        public FormValidation doCheckManifests(@QueryParameter String value) {
            return FormChecks.manifests(value);
        }

        public FormValidation doCheckServerUrl(@QueryParameter String value) {
            return FormChecks.serverUrl(value);
        }
    }
}
