package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A cluster an administrator named in the global configuration: where it is (serverUrl, caCertificate) and,
 * optionally, the credential and namespace a step naming it uses when it gives none. A step chooses it by name
 * ({@code cluster: 'prod'}); how the two combine is {@link NamedClusters}, plain Java.
 */
public class NamedCluster implements Describable<NamedCluster> {
    private final String name;
    private final String serverUrl;
    private String caCertificate;
    private String credentialsId;
    private String namespace;

    @DataBoundConstructor
    public NamedCluster(String name, String serverUrl) {
        this.name = Util.fixEmptyAndTrim(name);
        this.serverUrl = Util.fixEmptyAndTrim(serverUrl);
    }

    public String getName() {
        return name;
    }

    public String getServerUrl() {
        return serverUrl;
    }

    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = Util.fixEmptyAndTrim(caCertificate);
    }

    /** The credential steps naming this cluster use when they give none; looked up as each build's job sees them. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** For objects that name none, when the step gives none. */
    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    /**
     * The cluster drop-down of a step's or builder's form: none, then the configured names, for a user who may read
     * the job's configuration (administrators outside a job); anyone else gets just the current value back. Names
     * only: choosing one never connects anywhere.
     */
    static ListBoxModel names(Item item, String current) {
        ListBoxModel m = new ListBoxModel();
        m.add(Messages.NamedCluster_none(), "");
        String value = Util.fixEmptyAndTrim(current);
        boolean allowed = item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : item.hasPermission(Item.EXTENDED_READ);
        boolean listed = false;
        if (allowed) {
            for (NamedCluster c : ProgressiveDeliveryConfiguration.get().getClusters()) {
                if (c.getName() != null) {
                    m.add(c.getName(), c.getName());
                    listed |= c.getName().equals(value);
                }
            }
        }
        if (value != null && !listed) {
            m.add(value, value);
        }
        return m;
    }

    NamedClusters.Definition definition() {
        return new NamedClusters.Definition(name, serverUrl, caCertificate, credentialsId, namespace);
    }

    /**
     * The form support of a named cluster. Every method is POST-only and for administrators: the form is part of the
     * system configuration, and none of them connects anywhere.
     */
    @Extension
    public static final class DescriptorImpl extends Descriptor<NamedCluster> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.NamedCluster_displayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String problem = NamedClusters.nameProblem(value);
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        @POST
        public FormValidation doCheckServerUrl(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String problem = NamedClusters.serverProblem(value);
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        @POST
        public FormValidation doCheckCaCertificate(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String problem = NamedClusters.caProblem(value);
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        /** Global credentials, for administrators only; anyone else gets just the current value back. */
        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @QueryParameter String credentialsId, @QueryParameter String serverUrl) {
            return ClusterCredentials.fill(null, credentialsId, serverUrl);
        }
    }
}
