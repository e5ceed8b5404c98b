package io.jenkins.plugins.k8sdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts that cannot finish for a reason no container shows, against the real control plane (its scheduler and
 * volume controller; the test bed has no StorageClass and no provisioner): the failure names what the workload is
 * stuck on, and a claim that can never bind fails the deploy at once instead of at its deadline.
 */
@RequiresCluster
class StuckRolloutTest {
    @TempDir
    Path dir;

    @Test
    void aClaimForAStorageClassThatDoesNotExistFailsAtOnceNamingTheClaimAndTheClass(TestCluster cluster)
            throws Exception {
        Deploys d = new Deploys(cluster, dir).write("app.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec:
                  storageClassName: fast-ssd
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: registry.example/web:1}]
                      volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
                """);
        long start = System.nanoTime();

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml"))
                .timeout(Duration.ofSeconds(120)));

        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertEquals(DeployRecord.Outcome.FAILED, r.outcome(), d.logText());
        assertTrue(seconds < 60, "failed at once, not at the 120 s deadline: " + seconds + " s");
        assertTrue(r.failure().contains("cannot be scheduled and will not be until the claim is fixed"), r.failure());
        assertTrue(r.failure().contains("unbound immediate PersistentVolumeClaims"), "the scheduler's words: "
                + r.failure());
        assertTrue(r.failure().contains("claim data (Pending) asks for storage class fast-ssd, which does not exist"),
                r.failure());
    }

    @Test
    void aStatefulSetWhoseClaimsNeverBindTimesOutNamingTheClaimAndWhy(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir).write("db.yaml", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  replicas: 1
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers:
                      - name: db
                        image: registry.example/db:1
                        volumeMounts: [{name: data, mountPath: /var/lib/db}]
                  volumeClaimTemplates:
                  - metadata: {name: data}
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources: {requests: {storage: 1Gi}}
                """);

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("db.yaml"))
                .timeout(Duration.ofSeconds(12)));

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome(), d.logText());
        assertTrue(r.failure().contains("did not finish within 12 s; still"), r.failure());
        assertTrue(r.failure().contains("pod db-0 cannot be scheduled: "), r.failure());
        assertTrue(r.failure().contains("unbound immediate PersistentVolumeClaims"), r.failure());
        assertTrue(r.failure().contains("claim data-db-0 (Pending)"), r.failure());
        assertTrue(r.failure().contains("no storage class is set"), "the volume controller's words: " + r.failure());
    }

    @Test
    void aPodNoNodeCanHoldTimesOutWithTheSchedulersReason(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir).write("big.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: big}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: big}}
                  template:
                    metadata: {labels: {app: big}}
                    spec:
                      containers: [{name: big, image: registry.example/big:1, resources: {requests: {cpu: "5000"}}}]
                """);

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("big.yaml"))
                .timeout(Duration.ofSeconds(10)));

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome(), d.logText());
        assertTrue(r.failure().contains("cannot be scheduled: 0/3 nodes are available"), r.failure());
        assertTrue(r.failure().contains("Insufficient cpu"), r.failure());
    }

    @Test
    void aCustomResourceThatNeverBecomesReadyFailsWithItsConditionsReasonAndMessage(TestCluster cluster)
            throws Exception {
        String group = Deploys.establishCrd(cluster, "Cache");
        try {
            Deploys d = new Deploys(cluster, dir).write("cache.yaml", """
                    apiVersion: %s/v1
                    kind: Cache
                    metadata:
                      name: sessions
                      annotations: {k8s-progressive-delivery.jenkins.io/wait-for-condition: Ready}
                    spec: {size: small}
                    """.formatted(group));
            Thread operator = new Thread(() -> {
                try {
                    var cache = cluster.admin().genericKubernetesResources(group + "/v1", "Cache")
                            .inNamespace(cluster.namespace()).withName("sessions");
                    cache.waitUntilCondition(c -> c != null, 30, java.util.concurrent.TimeUnit.SECONDS);
                    var live = cache.get();
                    live.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Ready",
                            "status", "False", "reason", "QuotaExceeded", "message", "no memory left in pool a"))));
                    cache.updateStatus(live);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            operator.start();

            DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("cache.yaml"))
                    .timeout(Duration.ofSeconds(6)));
            operator.join();

            assertEquals(DeployRecord.Outcome.FAILED, r.outcome(), d.logText());
            assertTrue(r.failure().contains("Ready=False (QuotaExceeded: no memory left in pool a)"), r.failure());
            List<String> log = d.log;
            int failedAt = indexOf(log, "Ready=False (QuotaExceeded: no memory left in pool a)");
            int cannotRollBack = indexOf(log, "cannot be rolled back");
            assertTrue(failedAt >= 0 && failedAt < cannotRollBack, "the reason comes first:\n" + d.logText());
        } finally {
            Deploys.deleteCrd(cluster, "Cache", group);
        }
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
