package io.jenkins.plugins.k8sdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryPlan;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryState;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** k8spd canary: start, inspect, promote and abort canaries, including ones a pipeline drives. */
@RequiresCluster
class CanaryCommandTest {
    @RegisterExtension
    final Console console = new Console();
    private final ByteArrayOutputStream out = console.out;
    private final ByteArrayOutputStream err = console.err;

    @TempDir
    Path dir;

    int k8spd(TestCluster cluster, String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kubeconfig=" + cluster.bed().adminKubeconfig());
        all.add("--namespace=" + cluster.namespace());
        return Main.run(all.toArray(String[]::new));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    Path write(String image) throws Exception {
        Path p = dir.resolve("app.yaml");
        Files.writeString(p, DeployCommandTest.deployment(image, ""));
        return p;
    }

    Deployment web(TestCluster c) {
        return c.admin().apps().deployments().inNamespace(c.namespace()).withName("web").get();
    }

    /** A pipeline's canary, driven on another thread, as Jenkins would. */
    CompletableFuture<DeployRecord> pipeline(TestCluster c, String plan) throws Exception {
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(Duration.ofMinutes(2)).build();
        var rollout = new CanaryEngine(Clock.systemUTC()).start(new CanaryRequest(deploy, null, CanaryPlan.parse(plan),
                null, null, null, "jenkins: shop/deploy#7"), new LocalManifestFiles(dir), c.adminConnection(), null,
                line -> { });
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Rollouts.run(rollout, c.adminConnection(), Clock.systemUTC(), line -> { }, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    void awaitApproval(TestCluster c) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!CanaryState.AWAITING_APPROVAL.equals(CanaryState.annotations(web(c)).get(CanaryState.PHASE))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no approval wait: " + CanaryState.annotations(web(c)));
            }
            Thread.sleep(200);
        }
    }

    @Test
    void startStatusAndAbortACanaryNobodyDrives(TestCluster c) throws Exception {
        assertEquals(0, k8spd(c, "canary", "start", write("registry.example/web:1").toString()), err.toString());
        assertTrue(out().contains("First deploy of web"), out());

        assertEquals(0, k8spd(c, "canary", "start", "--plan=50%", write("registry.example/web:2").toString()),
                err.toString());
        assertEquals(3, k8spd(c, "canary", "status", "web"), "exit 3 while a canary is in progress");
        assertTrue(out().contains("at 50%, Paused"), out());

        Path record = dir.resolve("abort.json");
        assertEquals(0, k8spd(c, "canary", "abort", "web", "--record=" + record), err.toString());
        assertTrue(Files.readString(record).contains("\"outcome\" : \"ABORTED\""));
        assertEquals(0, k8spd(c, "canary", "status", "web"));
        assertTrue(out().contains("no canary in progress"), out());
        assertNull(c.admin().apps().deployments().inNamespace(c.namespace()).withName("web-canary").get());

        assertEquals(1, k8spd(c, "canary", "abort", "web"));
        assertTrue(err.toString().contains("No canary of Deployment/web is in progress"), err.toString());
    }

    @Test
    void aMissingAnalysisFileIsAClearErrorAndStillARecord(TestCluster c) throws Exception {
        Path record = dir.resolve("record.json");
        Path missing = dir.resolve("missing-analysis.yaml");

        assertEquals(1, k8spd(c, "canary", "start", "--analysis=" + missing, "--plan=20%, analysis errors, 100%",
                "--record=" + record, write("registry.example/web:1").toString()));

        assertEquals("k8spd: The analysis file " + missing + " does not exist.\n", err.toString(StandardCharsets.UTF_8));
        DeployRecord r = io.jenkins.plugins.k8sdeploy.engine.record.RecordJson.fromJson(Files.readString(record));
        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals("The analysis file " + missing + " does not exist.", r.failure());
        assertNull(web(c), "nothing applied");
    }

    @Test
    void promoteAPipelinesCanaryPastItsApproval(TestCluster c) throws Exception {
        assertEquals(0, k8spd(c, "canary", "start", write("registry.example/web:1").toString()), err.toString());
        write("registry.example/web:2");
        CompletableFuture<DeployRecord> running = pipeline(c, "50%, approval, 100%");
        awaitApproval(c);

        assertEquals(1, k8spd(c, "canary", "promote", "web", "--weight=80"), "a driven canary runs its own plan");
        assertTrue(err.toString().contains("driven by jenkins: shop/deploy#7"), err.toString());
        assertEquals(0, k8spd(c, "canary", "promote", "web"), err.toString());
        assertTrue(out().contains("Asked jenkins: shop/deploy#7"), out());

        DeployRecord r = running.get();
        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), r.timeline().toString());
        assertEquals("registry.example/web:2", web(c).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage());
    }

    @Test
    void abortAPipelinesCanaryWhileItWaits(TestCluster c) throws Exception {
        assertEquals(0, k8spd(c, "canary", "start", write("registry.example/web:1").toString()), err.toString());
        write("registry.example/web:2");
        CompletableFuture<DeployRecord> running = pipeline(c, "50%, approval, 100%");
        awaitApproval(c);

        assertEquals(0, k8spd(c, "canary", "abort", "web"), err.toString());
        assertTrue(out().contains("was aborted by its driver"), out());

        DeployRecord r = running.get();
        assertEquals(DeployRecord.Outcome.ABORTED, r.outcome());
        assertTrue(r.failure().contains("aborted on request"), r.failure());
        assertEquals("registry.example/web:1", web(c).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage());
        assertNull(c.admin().apps().deployments().inNamespace(c.namespace()).withName("web-canary").get());
    }
}
