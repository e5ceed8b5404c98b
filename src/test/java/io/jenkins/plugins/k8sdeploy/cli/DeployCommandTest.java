package io.jenkins.plugins.k8sdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir
    Path dir;

    static String deployment(String image, String podLabels) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web%s}}
                    spec: {containers: [{name: web, image: "%s"}]}
                """.formatted(podLabels, image);
    }

    int k8spd(TestCluster cluster, String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--kubeconfig=" + cluster.bed().adminKubeconfig());
        all.add(2, "--namespace=" + cluster.namespace());
        return Main.run(all.toArray(String[]::new));
    }

    @Test
    void deployDiffAndRollBackFromTheCommandLine(TestCluster cluster) throws Exception {
        Files.writeString(dir.resolve("v1.yaml"), deployment("registry.example/web:1", ""));
        Files.writeString(dir.resolve("v2.yaml"), deployment("registry.example/web:2", ""));
        Path record = dir.resolve("record.json");

        assertEquals(0, k8spd(cluster, "deploy", dir.resolve("v1.yaml").toString()), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Deployment/web rolled out: 2 of 2 replicas updated"
                + " and available."), out.toString(StandardCharsets.UTF_8));

        assertEquals(0, k8spd(cluster, "diff", dir.resolve("v2.yaml").toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("+        image: \"registry.example/web:2\""));

        assertEquals(0, k8spd(cluster, "deploy", "--record=" + record, dir.resolve("v2.yaml").toString()));
        assertTrue(Files.readString(record).contains("\"outcome\" : \"SUCCEEDED\""), Files.readString(record));

        assertEquals(0, k8spd(cluster, "rollback", "deployment/web"), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Rollback of Deployment/web in " + cluster.namespace() + " finished: the previous revision serves"
                + " again."), out.toString(StandardCharsets.UTF_8));
        assertEquals("registry.example/web:1", cluster.admin().apps().deployments().inNamespace(cluster.namespace())
                .withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void aFieldAnotherManagerOwnsIsNamedByDiffRefusedByDeployAndTakenWithForceConflicts(TestCluster cluster)
            throws Exception {
        Files.writeString(dir.resolve("v1.yaml"), deployment("registry.example/web:1", ""));
        Files.writeString(dir.resolve("v2.yaml"), deployment("registry.example/web:2", ""));
        assertEquals(0, k8spd(cluster, "deploy", dir.resolve("v1.yaml").toString()), err.toString());
        cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").patch(
                new io.fabric8.kubernetes.client.dsl.base.PatchContext.Builder()
                        .withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager("ops-script").withForce(true).build(),
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                        + "\"spec\":{\"replicas\":4}}");

        assertEquals(0, k8spd(cluster, "diff", dir.resolve("v2.yaml").toString()), err.toString());
        String diff = out.toString(StandardCharsets.UTF_8);
        assertTrue(diff.contains("Deployment/web: would change; conflict: .spec.replicas (field manager"
                + " \"ops-script\"); a deploy refuses it unless forced:"), diff);
        assertTrue(diff.contains("--force-conflicts"), diff);

        assertEquals(1, k8spd(cluster, "deploy", dir.resolve("v2.yaml").toString()));
        String refused = err.toString(StandardCharsets.UTF_8);
        assertTrue(refused.startsWith("k8spd: Deployment/web in " + cluster.namespace() + " ("), refused);
        assertTrue(refused.contains("v2.yaml:1) has fields another field manager owns: .spec.replicas (field manager"
                + " \"ops-script\"). Validated by a server-side dry run; nothing was applied."), refused);
        assertEquals("registry.example/web:1", image(cluster), "nothing was applied");

        assertEquals(0, k8spd(cluster, "deploy", "--force-conflicts", dir.resolve("v2.yaml").toString()),
                err.toString());
        assertEquals("registry.example/web:2", image(cluster));
        assertEquals(2, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get()
                .getSpec().getReplicas());
    }

    private static String image(TestCluster cluster) {
        return cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void aFailedRolloutExitsOneWithTheReason(TestCluster cluster) throws Exception {
        Files.writeString(dir.resolve("bad.yaml"),
                deployment("registry.example/web:404", ", k8spd.test/behaviour: image-pull-error"));

        assertEquals(1, k8spd(cluster, "deploy", dir.resolve("bad.yaml").toString()));

        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("k8spd: Deployment/web in " + cluster.namespace()
                + " failed: pod web-"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void statusWaitsForTheRolloutOrAnswersAtOnce(TestCluster cluster) throws Exception {
        Files.writeString(dir.resolve("v1.yaml"), deployment("registry.example/web:1", ""));
        assertEquals(0, k8spd(cluster, "deploy", dir.resolve("v1.yaml").toString()));

        assertEquals(0, k8spd(cluster, "status", "deploy/web"));
        assertEquals("Deployment/web rolled out: 2 of 2 replicas updated and available.\n",
                out.toString(StandardCharsets.UTF_8));

        Files.writeString(dir.resolve("stuck.yaml"),
                deployment("registry.example/web:2", ", k8spd.test/behaviour: never-ready"));
        assertEquals(1, k8spd(cluster, "deploy", "--timeout=3s", "--no-rollback", dir.resolve("stuck.yaml").toString()));
        assertEquals(StatusCommand.PROGRESSING, k8spd(cluster, "status", "--no-wait", "deployment/web"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Waiting for Deployment/web: "),
                out.toString(StandardCharsets.UTF_8));

        assertEquals(1, k8spd(cluster, "status", "deployment/nope"));
        assertEquals("k8spd: Deployment/nope does not exist in namespace " + cluster.namespace() + ".\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rollingBackAFirstDeployIsRefusedWithExitOne(TestCluster cluster) throws Exception {
        Files.writeString(dir.resolve("v1.yaml"), deployment("registry.example/web:1", ""));
        assertEquals(0, k8spd(cluster, "deploy", dir.resolve("v1.yaml").toString()));

        assertEquals(1, k8spd(cluster, "rollback", "deployment/web"));

        assertEquals("k8spd: Deployment/web in namespace " + cluster.namespace() + " has no earlier revision to roll"
                + " back to: revision 1 is its first.\n", err.toString(StandardCharsets.UTF_8));
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
