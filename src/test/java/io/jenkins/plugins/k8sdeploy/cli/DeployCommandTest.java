package io.jenkins.plugins.k8sdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line reaches the same engine as the Jenkins steps, with honest exit codes. */
@RequiresCluster
class DeployCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;

    @BeforeEach
    void capture() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.setErr(stderr);
    }

    @Test
    void deployConnectsWithTheKubeconfigAndExitsOneUntilApplyingIsSupported(TestCluster cluster) {
        int exit = Main.run("deploy", "--kubeconfig", cluster.bed().adminKubeconfig().toString(),
                "-n", cluster.namespace(), "k8s/app.yaml");

        assertEquals(1, exit);
        assertEquals("Connected to " + cluster.adminConnection().serverUrl() + " (Kubernetes v1.33.13).\n",
                out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("k8spd: k8sDeploy cannot apply manifests yet"));
    }

    @Test
    void missingManifestIsAUsageErrorWithExitCodeTwo(TestCluster cluster) {
        int exit = Main.run("deploy", "--kubeconfig", cluster.bed().adminKubeconfig().toString());

        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Missing required parameter: 'MANIFEST'"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unreadableKubeconfigIsNamed(TestCluster cluster) {
        int exit = Main.run("deploy", "--kubeconfig", "/nonexistent/kubeconfig", "app.yaml");

        assertEquals(1, exit);
        assertEquals("k8spd: The kubeconfig /nonexistent/kubeconfig does not exist.\n",
                err.toString(StandardCharsets.UTF_8));
    }
}
