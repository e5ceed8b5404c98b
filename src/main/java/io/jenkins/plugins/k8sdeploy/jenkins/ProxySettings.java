package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.ProxyConfiguration;
import hudson.init.Initializer;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.HttpClients;

/**
 * Metric queries (Prometheus, HTTP checks) go through the proxy an administrator set in Manage Jenkins > System >
 * Proxy, read at each query, as core's own HTTP clients do. The Kubernetes API is reached as the cluster connection
 * says (fabric8 honours the JVM's proxy settings), not through this proxy.
 */
public final class ProxySettings {
    private ProxySettings() {}

    @Initializer
    public static void useJenkinsProxyForMetrics() {
        HttpClients.startFrom(ProxyConfiguration::newHttpClientBuilder);
    }
}
