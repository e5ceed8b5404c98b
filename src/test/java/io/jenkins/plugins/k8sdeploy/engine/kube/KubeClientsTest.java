package io.jenkins.plugins.k8sdeploy.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Connecting with each kind of credential, and each way of failing to, against the real API server. */
@RequiresCluster
class KubeClientsTest {

    static String version(ClusterConnection c) throws DeployException {
        try (KubernetesClient client = KubeClients.open(c)) {
            return KubeClients.serverVersion(client, c);
        }
    }

    @Test
    void kubeconfigCredentialsReachTheServer(TestCluster cluster) throws DeployException {
        assertEquals("v1.33.13", version(cluster.adminConnection()));
    }

    @Test
    void tokenWithTheClusterCaReachesTheServer(TestCluster cluster) throws DeployException {
        ClusterConnection admin = cluster.adminConnection();
        ClusterConnection token = ClusterConnection.ofToken(admin.serverUrl(), admin.caCertificatePem(),
                admin.bearerToken());

        assertEquals("v1.33.13", version(token));
    }

    @Test
    void unknownTokenIsRejectedWithA401Explanation(TestCluster cluster) throws DeployException {
        ClusterConnection admin = cluster.adminConnection();
        ClusterConnection wrong = ClusterConnection.ofToken(admin.serverUrl(), admin.caCertificatePem(), "not-a-token");

        DeployException e = assertThrows(DeployException.class, () -> version(wrong));

        assertEquals("The Kubernetes API server at " + admin.serverUrl() + " rejected the credentials (401"
                + " Unauthorized) when trying to read the server version. Expected a token this cluster accepts; the"
                + " one given is unknown to it, expired or for another cluster.", e.getMessage());
    }

    @Test
    void serverCertificateFromAnUnknownCaIsExplained(TestCluster cluster) throws DeployException {
        ClusterConnection admin = cluster.adminConnection();
        ClusterConnection noCa = ClusterConnection.ofToken(admin.serverUrl(), null, admin.bearerToken());

        DeployException e = assertThrows(DeployException.class, () -> version(noCa));

        assertTrue(e.getMessage().startsWith("Could not verify the TLS certificate of the Kubernetes API server at "
                + admin.serverUrl()), e.getMessage());
        assertTrue(e.getMessage().endsWith("Expected the cluster's CA certificate (caCertificate, or"
                + " certificate-authority-data in a kubeconfig) to have signed the server's certificate."));
    }

    @Test
    void closedPortIsExplainedAsUnreachable(TestCluster cluster) throws DeployException, IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ClusterConnection nowhere = ClusterConnection.ofToken("https://127.0.0.1:" + port,
                cluster.adminConnection().caCertificatePem(), "any");

        DeployException e = assertThrows(DeployException.class, () -> version(nowhere));

        assertTrue(e.getMessage().startsWith("Could not reach the Kubernetes API server at https://127.0.0.1:" + port
                + ": ConnectException"), e.getMessage());
    }
}
