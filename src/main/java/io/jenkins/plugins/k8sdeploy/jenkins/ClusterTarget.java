package io.jenkins.plugins.k8sdeploy.jenkins;

/**
 * The cluster settings a step or builder was configured with: which credential, and where the cluster is when the
 * credential does not say (a token).
 */
interface ClusterTarget {
    /** Id of a Secret text (bearer token) or Secret file (kubeconfig) credential. */
    String getCredentialsId();

    /** The API server URL; needed with a token, optional with a kubeconfig (then it must match it). */
    String getServerUrl();

    /** The cluster's CA certificate in PEM form, used with a token; {@code null} trusts the JVM's CAs. */
    String getCaCertificate();

    /** The kubeconfig context to use; {@code null} for its current context. */
    String getContext();

    /**
     * The name of a cluster of the global configuration, giving serverUrl, caCertificate and, when these settings give
     * none, the credential and namespace (see {@link NamedClusters}); {@code null} for none.
     */
    default String getCluster() {
        return null;
    }
}
