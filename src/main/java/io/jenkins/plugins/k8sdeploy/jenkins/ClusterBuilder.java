package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.Util;
import hudson.tasks.Builder;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundSetter;

/** The cluster parameters every freestyle build step of this plugin takes: which credential, and where the cluster is. */
public abstract class ClusterBuilder extends Builder implements SimpleBuildStep, ClusterTarget {
    private String credentialsId;
    private String serverUrl;
    private String caCertificate;
    private String context;
    private String cluster;

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
}
