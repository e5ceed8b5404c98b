package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeClients;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Certificate credential's PKCS#12 key store becomes a client certificate the real API server accepts. Runs without
 * Jenkins: the conversion is plain Java; openssl signs a client certificate with the test bed's CA.
 */
@RequiresCluster
class CertificateKeysTest {
    @TempDir
    Path dir;

    void openssl(String... args) throws Exception {
        Process p = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", args) + "\n" + out);
    }

    KeyStore clientKeyStore(Path pki, String password) throws Exception {
        openssl("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out",
                "client.csr", "-subj", "/O=system:masters/CN=cert-user");
        openssl("openssl", "x509", "-req", "-in", "client.csr", "-CA", pki.resolve("ca.crt").toString(), "-CAkey",
                pki.resolve("ca.key").toString(), "-CAcreateserial", "-out", "client.crt", "-days", "1");
        openssl("openssl", "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
                "-passout", "pass:" + password, "-name", "client");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("client.p12"))) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    @Test
    void aPkcs12ClientCertificateAuthenticatesToTheApiServer(TestCluster cluster) throws Exception {
        Path pki = cluster.bed().adminKubeconfig().getParent().resolve("pki");
        KeyStore ks = clientKeyStore(pki, "s3cret");

        CertificateKeys.Pem pem = CertificateKeys.of(ks, "s3cret".toCharArray(), "prod-cert");
        ClusterConnection c = ClusterConnection.ofClientCertificate(cluster.adminConnection().serverUrl(),
                cluster.adminConnection().caCertificatePem(), pem.certificates(), pem.privateKey());

        assertTrue(pem.privateKey().startsWith("-----BEGIN PRIVATE KEY-----\n"), pem.privateKey());
        try (KubernetesClient client = KubeClients.open(c)) {
            assertEquals("v1.33.13", KubeClients.serverVersion(client, c));
            List<?> namespaces = client.namespaces().list().getItems();
            assertTrue(namespaces.size() >= 4, "system:masters may list namespaces: " + namespaces.size());
        }
    }

    @Test
    void aWrongPasswordIsExplained(TestCluster cluster) throws Exception {
        Path pki = cluster.bed().adminKubeconfig().getParent().resolve("pki");
        KeyStore ks = clientKeyStore(pki, "s3cret");

        DeployException e = assertThrows(DeployException.class,
                () -> CertificateKeys.of(ks, "wrong".toCharArray(), "prod-cert"));

        assertTrue(e.getMessage().startsWith("The certificate credential 'prod-cert' cannot be read: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("and the right password."), e.getMessage());
    }
}
