package io.jenkins.plugins.k8sdeploy.engine.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Rollouts on one connection share its client and informers: one informer per kind and namespace however many
 * rollouts watch there, counted by its users and closed with the last; the client closed with its last user.
 */
@RequiresCluster
class SharedWatchTest {

    @Test
    void watchesOfOneNamespaceShareOneInformerPerKindWhichClosesWithItsLastUser(TestCluster cluster)
            throws Exception {
        String ns = cluster.namespace();
        create(cluster, "web-a", 1);
        create(cluster, "web-b", 1);
        // Counted per connection: other tests of this JVM may open and close connections of their own meanwhile.
        int usersBefore = KubeCluster.connectionUsers(cluster.adminConnection());

        try (KubeCluster a = KubeCluster.connect(cluster.adminConnection())) {
            KubeCluster b = KubeCluster.connect(cluster.adminConnection());
            assertEquals(usersBefore + 2, KubeCluster.connectionUsers(cluster.adminConnection()),
                    "one client for both users");
            ResourceKind kind = a.kind("apps/v1", "Deployment");
            AtomicInteger wokeA = new AtomicInteger();
            AtomicInteger wokeB = new AtomicInteger();
            RolloutWatch watchA = RolloutWatch.start(a, workload(ns, "web-a"), kind, wokeA::incrementAndGet);
            RolloutWatch watchB = RolloutWatch.start(b, workload(ns, "web-b"), kind, wokeB::incrementAndGet);

            assertEquals(3, a.sharedInformers(ns), "Deployments, ReplicaSets and pods of the namespace, once each");
            assertEquals("web-a", watchA.current().getMetadata().getName());
            assertEquals("web-b", watchB.current().getMetadata().getName());

            // A change to web-b wakes its watcher only (once both are rolled out: web-a's own pod may still move).
            await(() -> watchA.evaluate().isDone() && watchB.evaluate().isDone(), "web-a and web-b rolled out");
            Thread.sleep(200);
            int aBefore = wokeA.get();
            int bBefore = wokeB.get();
            scale(cluster, "web-b", 2);
            await(() -> wokeB.get() > bBefore, "web-b's watcher woken");
            Thread.sleep(500);
            assertEquals(aBefore, wokeA.get(), "web-a's watcher is not woken by web-b");

            // The first user leaves: the informers stay for the other, which still sees changes.
            watchA.close();
            assertEquals(3, a.sharedInformers(ns));
            scale(cluster, "web-b", 3);
            await(() -> ((Deployment) watchB.current()).getSpec().getReplicas() == 3, "web-b's view at 3 replicas");

            // The last user leaves: the informers close.
            watchB.close();
            assertEquals(0, a.sharedInformers(ns));

            b.close();
            assertEquals(usersBefore + 1, KubeCluster.connectionUsers(cluster.adminConnection()),
                    "still used by the first");
        }
        assertEquals(usersBefore, KubeCluster.connectionUsers(cluster.adminConnection()), "closed with its last user");
    }

    @Test
    void otherCredentialsForTheSameServerAreAnotherClientWhichClosesWhenUnused(TestCluster cluster) {
        int admins = KubeCluster.connectionUsers(cluster.adminConnection());
        int deployers = KubeCluster.connectionUsers(cluster.deployerConnection());
        KubeCluster admin = KubeCluster.connect(cluster.adminConnection());
        KubeCluster deployer = KubeCluster.connect(cluster.deployerConnection());
        // each on the connection of its own credentials, not one shared by both
        assertEquals(admins + 1, KubeCluster.connectionUsers(cluster.adminConnection()));
        assertEquals(deployers + 1, KubeCluster.connectionUsers(cluster.deployerConnection()));

        admin.close();
        admin.close(); // a second close changes nothing
        assertEquals(admins, KubeCluster.connectionUsers(cluster.adminConnection()));
        assertEquals(deployers + 1, KubeCluster.connectionUsers(cluster.deployerConnection()));
        deployer.close();
        assertEquals(deployers, KubeCluster.connectionUsers(cluster.deployerConnection()));
    }

    @Test
    void manyWatchesOnOneConnectionStartNoThreadPerWatch(TestCluster cluster) throws Exception {
        for (int i = 0; i < 20; i++) {
            create(cluster, "app-" + i, 1);
        }
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (KubeCluster c = KubeCluster.connect(cluster.adminConnection())) {
            ResourceKind kind = c.kind("apps/v1", "Deployment");
            java.util.List<RolloutWatch> watches = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                watches.add(RolloutWatch.start(c, workload(cluster.namespace(), "app-" + i), kind, () -> {}));
            }
            Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
            started.removeAll(before);
            // At most the connection's selector, two HTTP, two callback threads and fabric8's timer, whoever
            // started them.
            assertTrue(started.size() <= 6, "threads started for 20 watches: " + started);
            watches.forEach(RolloutWatch::close);
        }
    }

    private static Workload workload(String ns, String name) {
        return new Workload("apps/v1", "Deployment", ns, name, Map.of("app", name), null);
    }

    private static void create(TestCluster cluster, String name, int replicas) {
        cluster.admin().apps().deployments().inNamespace(cluster.namespace()).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example.com/" + name + ":1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
    }

    private static void scale(TestCluster cluster, String name, int replicas) {
        cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName(name).scale(replicas);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
