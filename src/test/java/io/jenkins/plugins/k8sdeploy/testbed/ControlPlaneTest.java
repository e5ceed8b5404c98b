package io.jenkins.plugins.k8sdeploy.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The test bed is a real control plane: the deployment controller rolls out, kwok's stages make pods behave as the
 * tests ask, and RBAC is enforced. Every later rollout test relies on these.
 */
@RequiresCluster
class ControlPlaneTest {
    static final String BEHAVIOUR = "k8spd.test/behaviour";

    @Test
    void newReplicaSetTakesOverWhenTheImageChanges(TestCluster cluster) {
        var deployments = cluster.admin().apps().deployments().inNamespace(cluster.namespace());
        deployments.resource(deployment("web", 3, "registry.example/web:1", Map.of())).create();
        Deployment v1 = waitRolledOut(cluster, "web", 3);
        assertEquals("1", v1.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));

        deployments.withName("web").edit(d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().editSpec().editFirstContainer()
                .withImage("registry.example/web:2")
                .endContainer().endSpec().endTemplate().endSpec()
                .build());
        Deployment v2 = waitRolledOut(cluster, "web", 3);

        assertEquals("2", v2.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
        List<ReplicaSet> sets = cluster.admin().apps().replicaSets().inNamespace(cluster.namespace()).list().getItems();
        assertEquals(2, sets.size(), "one ReplicaSet per revision");
        ReplicaSet current = sets.stream().filter(rs -> image(rs).endsWith(":2")).findFirst().orElseThrow();
        ReplicaSet old = sets.stream().filter(rs -> image(rs).endsWith(":1")).findFirst().orElseThrow();
        assertEquals(3, current.getStatus().getReadyReplicas());
        assertEquals(0, old.getSpec().getReplicas());
        List<Pod> pods = cluster.admin().pods().inNamespace(cluster.namespace()).list().getItems();
        assertTrue(pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .allMatch(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":2")),
                "only v2 pods are left");
    }

    @Test
    void neverReadyPodsMakeTheControllerReportProgressDeadlineExceeded(TestCluster cluster) {
        Deployment d = deployment("stuck", 2, "registry.example/stuck:1", Map.of(BEHAVIOUR, "never-ready"));
        d.getSpec().setProgressDeadlineSeconds(5);
        cluster.admin().apps().deployments().inNamespace(cluster.namespace()).resource(d).create();

        Deployment failed = cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("stuck")
                .waitUntilCondition(x -> progressing(x) != null
                        && "ProgressDeadlineExceeded".equals(progressing(x).getReason()), 90, TimeUnit.SECONDS);

        assertEquals("False", progressing(failed).getStatus());
        List<Pod> pods = cluster.admin().pods().inNamespace(cluster.namespace()).list().getItems();
        assertEquals(2, pods.size());
        for (Pod pod : pods) {
            assertEquals("Running", pod.getStatus().getPhase());
            assertEquals("False", condition(pod, "Ready").getStatus());
        }
    }

    @Test
    void crashLoopLabelShowsUpInPodStatusWithRisingRestarts(TestCluster cluster) {
        Deployment d = deployment("crashy", 1, "registry.example/crashy:1", Map.of(BEHAVIOUR, "crashloop"));
        cluster.admin().apps().deployments().inNamespace(cluster.namespace()).resource(d).create();
        var pods = cluster.admin().pods().inNamespace(cluster.namespace()).withLabel("app", "crashy");

        pods.waitUntilCondition(p -> p != null && crashLooping(p) && restarts(p) >= 1, 90, TimeUnit.SECONDS);
        int first = restarts(pods.list().getItems().get(0));
        pods.waitUntilCondition(p -> p != null && restarts(p) > first, 90, TimeUnit.SECONDS);

        Pod pod = pods.list().getItems().get(0);
        assertEquals("CrashLoopBackOff", pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason());
        assertEquals("False", condition(pod, "Ready").getStatus());
    }

    @Test
    void deletedPodsGoAway(TestCluster cluster) {
        cluster.admin().apps().deployments().inNamespace(cluster.namespace())
                .resource(deployment("gone", 1, "registry.example/gone:1", Map.of())).create();
        waitRolledOut(cluster, "gone", 1);
        Pod pod = cluster.admin().pods().inNamespace(cluster.namespace()).list().getItems().get(0);

        cluster.admin().pods().inNamespace(cluster.namespace()).withName(pod.getMetadata().getName()).delete();

        assertTrue(cluster.admin().pods().inNamespace(cluster.namespace()).withName(pod.getMetadata().getName())
                        .waitUntilCondition(p -> p == null, 60, TimeUnit.SECONDS) == null,
                "the deleted pod is gone, not stuck Terminating");
        waitRolledOut(cluster, "gone", 1);
    }

    @Test
    void restrictedUserIsForbiddenUntilARoleAllowsIt(TestCluster cluster) {
        var asDeployer = cluster.deployer().apps().deployments().inNamespace(cluster.namespace());
        KubernetesClientException denied = assertThrows(KubernetesClientException.class, () -> asDeployer.list());
        assertEquals(403, denied.getCode());

        grantDeployments(cluster, cluster.namespace());

        assertNotNull(asDeployer.list(), "the role lets the deployer list deployments in its namespace");
        asDeployer.resource(deployment("by-deployer", 1, "registry.example/x:1", Map.of())).create();
        KubernetesClientException elsewhere = assertThrows(KubernetesClientException.class,
                () -> cluster.deployer().apps().deployments().inNamespace("kube-system").list());
        assertEquals(403, elsewhere.getCode(), "the role is namespaced: other namespaces stay forbidden");
    }

    static void grantDeployments(TestCluster cluster, String namespace) {
        cluster.admin().rbac().roles().inNamespace(namespace).resource(new RoleBuilder()
                .withNewMetadata().withName("deployer").endMetadata()
                .addNewRule()
                .withApiGroups("apps")
                .withResources("deployments")
                .withVerbs("get", "list", "watch", "create", "update", "patch")
                .endRule()
                .build()).create();
        cluster.admin().rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder()
                .withNewMetadata().withName("deployer").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "deployer")
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io")
                .withName("k8spd:deployers").endSubject()
                .build()).create();
    }

    static Deployment deployment(String name, int replicas, String image, Map<String, String> podLabels) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).addToLabels(podLabels).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage(image).endContainer().endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** kubectl's rule for "successfully rolled out". */
    static Deployment waitRolledOut(TestCluster cluster, String name, int replicas) {
        return cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName(name)
                .waitUntilCondition(d -> d != null
                        && d.getStatus() != null
                        && d.getStatus().getObservedGeneration() != null
                        && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                        && eq(d.getStatus().getUpdatedReplicas(), replicas)
                        && eq(d.getStatus().getReplicas(), replicas)
                        && eq(d.getStatus().getAvailableReplicas(), replicas), 90, TimeUnit.SECONDS);
    }

    private static boolean eq(Integer actual, int expected) {
        return actual != null && actual == expected;
    }

    private static DeploymentCondition progressing(Deployment d) {
        if (d == null || d.getStatus() == null || d.getStatus().getConditions() == null) {
            return null;
        }
        return d.getStatus().getConditions().stream()
                .filter(c -> "Progressing".equals(c.getType())).findFirst().orElse(null);
    }

    private static PodCondition condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    private static boolean crashLooping(Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        return statuses != null && !statuses.isEmpty() && statuses.get(0).getState() != null
                && statuses.get(0).getState().getWaiting() != null
                && "CrashLoopBackOff".equals(statuses.get(0).getState().getWaiting().getReason());
    }

    private static int restarts(Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        return statuses == null || statuses.isEmpty() || statuses.get(0).getRestartCount() == null
                ? 0 : statuses.get(0).getRestartCount();
    }

    private static String image(ReplicaSet rs) {
        return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void threeFakeNodesAreReady(TestCluster cluster) {
        var nodes = cluster.admin().nodes().withLabel("type", "kwok").list().getItems();
        assertEquals(3, nodes.size());
        for (var node : nodes) {
            assertTrue(node.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), node.getMetadata().getName());
            assertFalse(node.getSpec().getTaints() != null && node.getSpec().getTaints().stream()
                    .anyMatch(t -> "NoSchedule".equals(t.getEffect())), "no NoSchedule taint on " + node.getMetadata().getName());
        }
    }
}
