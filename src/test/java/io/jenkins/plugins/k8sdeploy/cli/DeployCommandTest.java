package io.jenkins.plugins.k8sdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command line reaches the same engine as the Jenkins steps, with honest exit codes. */
@RequiresCluster
class DeployCommandTest {
    @RegisterExtension
    final Console console = new Console();
    private final ByteArrayOutputStream out = console.out;
    private final ByteArrayOutputStream err = console.err;

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
    void aRefusedDeployStillWritesItsRecordSayingWhy(TestCluster cluster) throws Exception {
        Files.writeString(dir.resolve("vars.yaml"), deployment("registry.example/web:${VERSION}", ""));
        Path record = dir.resolve("record.json");

        assertEquals(1, k8spd(cluster, "deploy", "--var=OTHER=1", "--record=" + record,
                dir.resolve("vars.yaml").toString()));

        String message = err.toString(StandardCharsets.UTF_8).strip().substring("k8spd: ".length());
        assertTrue(message.contains("VERSION"), message);
        DeployRecord r = RecordJson.fromJson(Files.readString(record));
        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals(message, r.failure());
        assertEquals(cluster.adminConnection().serverUrl(), r.server());
        assertEquals(List.of(), r.objects(), "nothing was applied");
        assertEquals(null, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web")
                .get());
    }

    @Test
    void aRecordFileThatCannotBeWrittenIsRefusedBeforeAnythingIsApplied(TestCluster cluster) throws Exception {
        Files.writeString(dir.resolve("v1.yaml"), deployment("registry.example/web:1", ""));
        Path record = dir.resolve("no-such-dir").resolve("record.json");

        assertEquals(1, k8spd(cluster, "deploy", "--record=" + record, dir.resolve("v1.yaml").toString()));

        assertEquals("k8spd: Cannot write the record to " + record + ": its directory " + record.getParent()
                + " does not exist. Nothing was done.\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(null, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web")
                .get(), "nothing applied");
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

    static String clusterScoped(String namespace) {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: k8spd-test-pinned-escape}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                subjects: [{kind: ServiceAccount, name: default, namespace: %1$s}]
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: %1$s}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-config}
                data: {greeting: hello}
                """.formatted(namespace);
    }

    @Test
    void aPinnedDeployRefusesClusterScopedObjectsBeforeApplyingAnythingAndDiffSaysTheSame(TestCluster cluster)
            throws Exception {
        Path file = dir.resolve("escape.yaml");
        Files.writeString(file, clusterScoped(cluster.namespace()));
        Path shown = Path.of("").toAbsolutePath().relativize(file);
        String pinned = "pinned to namespace '" + cluster.namespace() + "'. A pinned deploy applies only objects in"
                + " that namespace unless the kind is allowed explicitly (allowClusterScoped in Jenkins,"
                + " --allow-cluster-scoped on the command line).";

        for (String command : List.of("deploy", "diff")) {
            int exit = k8spd(cluster, command, "--pin-namespace", file.toString());
            if (exit == 0) {
                // Never leave a binding to cluster-admin in the shared control plane, even when this test fails.
                cluster.admin().rbac().clusterRoleBindings().withName("k8spd-test-pinned-escape").delete();
            }
            assertEquals(1, exit, command);

            String error = err.toString(StandardCharsets.UTF_8);
            assertTrue(error.startsWith("k8spd: 2 problems, so nothing was applied:\n"), error);
            assertTrue(error.contains("- ClusterRoleBinding/k8spd-test-pinned-escape (" + shown + ":1) is"
                    + " cluster-scoped, but this deploy is " + pinned), error);
            assertTrue(error.contains("- Namespace/" + cluster.namespace() + " (" + shown + ":7) is"
                    + " cluster-scoped, but this deploy is " + pinned), error);
        }
        assertEquals(null, cluster.admin().rbac().clusterRoleBindings().withName("k8spd-test-pinned-escape").get());
        assertEquals(null, cluster.admin().configMaps().inNamespace(cluster.namespace()).withName("web-config").get());
    }

    @Test
    void aPinnedDeployAppliesTheClusterScopedKindsItIsAllowed(TestCluster cluster) throws Exception {
        Path file = dir.resolve("namespace.yaml");
        Files.writeString(file, clusterScoped(cluster.namespace()).substring(
                clusterScoped(cluster.namespace()).indexOf("apiVersion: v1")));

        assertEquals(0, k8spd(cluster, "deploy", "--pin-namespace", "--allow-cluster-scoped", "Namespace",
                file.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals(1, k8spd(cluster, "deploy", "--allow-cluster-scoped", "Namespace", file.toString()));

        assertEquals("hello", cluster.admin().configMaps().inNamespace(cluster.namespace()).withName("web-config")
                .get().getData().get("greeting"));
        assertEquals("k8spd: Cluster-scoped kinds were allowed (Namespace) but the deploy is not pinned to a"
                + " namespace, and only a pinned deploy refuses them. Expected the allowed kinds together with"
                + " pinNamespace (--pin-namespace on the command line).\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void statusAndRollbackWithoutANamespaceUseTheKubeconfigContextsAsKubectlDoes(TestCluster cluster)
            throws Exception {
        Files.writeString(dir.resolve("v1.yaml"), deployment("registry.example/web:1", ""));
        Files.writeString(dir.resolve("v2.yaml"), deployment("registry.example/web:2", ""));
        assertEquals(0, k8spd(cluster, "deploy", dir.resolve("v1.yaml").toString()), err.toString());
        assertEquals(0, k8spd(cluster, "deploy", dir.resolve("v2.yaml").toString()), err.toString());
        Path kubeconfig = dir.resolve("context-namespace.kubeconfig");
        String admin = Files.readString(cluster.bed().adminKubeconfig());
        assertTrue(admin.contains("    user: admin\n"), admin.replaceAll("token: .*", "token: (hidden)"));
        Files.writeString(kubeconfig, admin.replace("    user: admin\n",
                "    user: admin\n    namespace: " + cluster.namespace() + "\n"));

        out.reset();
        assertEquals(0, Main.run("status", "--kubeconfig=" + kubeconfig, "deployment/web"), err.toString());
        assertEquals("Deployment/web rolled out: 2 of 2 replicas updated and available.\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals(0, Main.run("rollback", "--kubeconfig=" + kubeconfig, "deployment/web"), err.toString());
        assertEquals("registry.example/web:1", image(cluster));
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
