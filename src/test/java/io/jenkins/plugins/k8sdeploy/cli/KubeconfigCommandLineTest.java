package io.jenkins.plugins.k8sdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the user's own machine k8spd reads a kubeconfig as kubectl does: the exec plugins of EKS, GKE and AKS, the files
 * next to a minikube kubeconfig, and insecure-skip-tls-verify with a warning. Each kubeconfig here reaches the local
 * control plane and deploys.
 */
@RequiresCluster
class KubeconfigCommandLineTest {
    @RegisterExtension
    final Console console = new Console();
    private final ByteArrayOutputStream out = console.out;
    private final ByteArrayOutputStream err = console.err;

    @TempDir
    Path dir;

    static String kubeconfig(String server, String clusterBody, String userBody) {
        return """
                apiVersion: v1
                kind: Config
                current-context: mine
                clusters:
                - name: testbed
                  cluster:
                    server: %s
                %s
                contexts:
                - name: mine
                  context: {cluster: testbed, user: me}
                users:
                - name: me
                  user:
                %s
                """.formatted(server, clusterBody.indent(4).stripTrailing(), userBody.indent(4).stripTrailing());
    }

    int deployWith(Path kubeconfig, TestCluster cluster) throws Exception {
        Path manifest = dir.resolve("cm.yaml");
        Files.writeString(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-cli}\ndata: {a: b}\n");
        return Main.run("deploy", "--kubeconfig=" + kubeconfig, "--namespace=" + cluster.namespace(),
                manifest.toString());
    }

    String deployed(TestCluster cluster) {
        var cm = cluster.admin().configMaps().inNamespace(cluster.namespace()).withName("from-cli").get();
        return cm == null ? null : cm.getData().get("a");
    }

    @Test
    void anExecPluginAndACaFileNextToTheKubeconfigWorkAsWithKubectl(TestCluster cluster) throws Exception {
        ClusterConnection admin = cluster.bed().admin();
        Files.writeString(dir.resolve("ca.crt"), admin.caCertificatePem());
        Path plugin = dir.resolve("get-token");
        Files.writeString(plugin, "#!/bin/sh\necho '{\"apiVersion\": \"client.authentication.k8s.io/v1\","
                + " \"kind\": \"ExecCredential\", \"status\": {\"token\": \"" + admin.bearerToken() + "\"}}'\n");
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, kubeconfig(admin.serverUrl(), "certificate-authority: ca.crt",
                "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: ./get-token\n"
                        + "  interactiveMode: Never"));

        assertEquals(0, deployWith(kubeconfig, cluster), err.toString(StandardCharsets.UTF_8));

        assertEquals("b", deployed(cluster));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("controller"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTokenFileIsReadRelativeToTheKubeconfig(TestCluster cluster) throws Exception {
        ClusterConnection admin = cluster.bed().admin();
        Files.createDirectories(dir.resolve("kube"));
        Files.writeString(dir.resolve("kube/token"), admin.bearerToken());
        Path kubeconfig = dir.resolve("kube/config");
        Files.writeString(kubeconfig, kubeconfig(admin.serverUrl(), "certificate-authority-data: "
                + java.util.Base64.getEncoder().encodeToString(admin.caCertificatePem().getBytes(
                        StandardCharsets.UTF_8)), "tokenFile: token"));

        assertEquals(0, deployWith(kubeconfig, cluster), err.toString(StandardCharsets.UTF_8));

        assertEquals("b", deployed(cluster));
    }

    @Test
    void aCommandThatGivesNoCredentialsIsAClearErrorNamingIt(TestCluster cluster) throws Exception {
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, kubeconfig(cluster.bed().admin().serverUrl(), "insecure-skip-tls-verify: false",
                "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: /bin/true"));

        assertEquals(1, deployWith(kubeconfig, cluster));

        // fabric8's own log lines may come first (item 11 of issue 12); the last line is k8spd's.
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("k8spd: The kubeconfig's user 'me' runs the command '/bin/true' for its credentials, but it gave"
                + " neither a token nor a client certificate. Expected the command to print an ExecCredential of"
                + " apiVersion client.authentication.k8s.io/v1; run it by hand to see why not.",
                lines.get(lines.size() - 1));
        assertEquals(null, deployed(cluster));
    }

    @Test
    void insecureSkipTlsVerifyConnectsWithAWarningLine(TestCluster cluster) throws Exception {
        ClusterConnection admin = cluster.bed().admin();
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, kubeconfig(admin.serverUrl(), "insecure-skip-tls-verify: true",
                "token: " + admin.bearerToken()));

        assertEquals(0, deployWith(kubeconfig, cluster), err.toString(StandardCharsets.UTF_8));

        assertEquals("k8spd: warning: The kubeconfig's cluster 'testbed' sets insecure-skip-tls-verify: true, so the"
                + " certificate of " + admin.serverUrl() + " would not be checked and anyone on the way could read and"
                + " change what is sent, credentials included. k8spd connects all the same, as kubectl does; set"
                + " certificate-authority-data to the cluster's CA certificate to have it checked.\n",
                err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("ConfigMap/from-cli"), out.toString(
                StandardCharsets.UTF_8));
        assertEquals("b", deployed(cluster));
    }
}
