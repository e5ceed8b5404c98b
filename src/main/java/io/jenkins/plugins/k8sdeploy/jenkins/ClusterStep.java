package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.Util;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The parameters every step of this plugin takes: which credential, where the cluster is, the namespace, and how long to
 * wait. Their help is in this class's folder, but {@code namespace} and {@code timeout}, whose help each step words
 * for what it does (core looks for {@code help-FIELD.html} on the class first, then its superclasses).
 */
public abstract class ClusterStep extends Step implements ClusterTarget {
    private String credentialsId;
    private String serverUrl;
    private String caCertificate;
    private String context;
    private String cluster;
    private String namespace;
    private String timeout;

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
    public String getCluster() {
        return cluster;
    }

    /** A cluster named in the global configuration (Manage Jenkins > System); see {@link NamedClusters}. */
    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = Util.fixEmptyAndTrim(cluster);
    }

    /** The namespace to work in; blank for the step's default (each step's help says which). */
    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    /** How long to wait, such as "10m" or "90s"; blank for the step's default. */
    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
    }
}
