package io.jenkins.plugins.k8sdeploy.jenkins;

import java.io.Serial;
import java.io.Serializable;

/**
 * A step's cluster settings, kept across a restart: the credentials id and where the cluster is, never a secret. A
 * named {@code cluster} is kept by name and looked up in the global configuration each time the step connects.
 */
record ClusterSettings(String credentialsId, String serverUrl, String caCertificate, String context, String cluster)
        implements ClusterTarget, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    static ClusterSettings of(ClusterTarget t) {
        return new ClusterSettings(t.getCredentialsId(), t.getServerUrl(), t.getCaCertificate(), t.getContext(),
                t.getCluster());
    }

    @Override
    public String getCredentialsId() {
        return credentialsId;
    }

    @Override
    public String getServerUrl() {
        return serverUrl;
    }

    @Override
    public String getCaCertificate() {
        return caCertificate;
    }

    @Override
    public String getContext() {
        return context;
    }

    @Override
    public String getCluster() {
        return cluster;
    }
}
