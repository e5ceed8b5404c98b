package io.jenkins.plugins.k8sdeploy.engine.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The k8sDeploy and k8sRollback steps' rolling deploy as the {@link RolloutDriver} runs it ({@link RollingRollout#plain}):
 * the record is the deploy engine's (no strategy event), a dry run succeeds, a stop during the rollout rolls back with the
 * step's line and records it. A check that fails is not tried again ({@code outageTolerance()} is null).
 */
@RequiresCluster
class PlainRollingDriverTest {
    @TempDir
    Path dir;

    /** {@link GateRolloutTest#app} with one replica and more pod labels (", k8spd.test/behaviour: never-ready"). */
    static String app(String image, String podLabels) {
        return GateRolloutTest.app(image).replace("replicas: 2", "replicas: 1").replace("labels: {app: web}",
                "labels: {app: web" + podLabels + "}");
    }

    RolloutDriver start(TestCluster c, ManualHost host, String image, String podLabels, boolean dryRun,
            boolean rollBackOnStop) throws Exception {
        return start(c, host, image, podLabels, dryRun, rollBackOnStop, Duration.ofMinutes(2));
    }

    RolloutDriver start(TestCluster c, ManualHost host, String image, String podLabels, boolean dryRun,
            boolean rollBackOnStop, Duration timeout) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), app(image, podLabels), StandardCharsets.UTF_8);
        DeployRequest request = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(timeout).dryRun(dryRun).build();
        RolloutDriver driver = new RolloutDriver(rollBackOnStop);
        driver.start(host, (connection, log) -> RollingRollout.plain(new DeployEngine().begin(request,
                new LocalManifestFiles(dir), connection, log)));
        return driver;
    }

    /** v1 deployed and rolled out, so that a v2 has a revision to roll back to. */
    void deployV1(TestCluster c) throws Exception {
        ManualHost first = new ManualHost(c.adminConnection(), "[v1]");
        start(c, first, "registry.example/web:1", "", false, true);
        first.runUntilDone();
    }

    String image(TestCluster c) {
        var d = c.admin().apps().deployments().inNamespace(c.namespace()).withName("web").get();
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void succeedsWithTheEngineRecordThenADryRunSucceedsToo(TestCluster c) throws Exception {
        ManualHost host = new ManualHost(c.adminConnection(), "[rolling]");
        RolloutDriver driver = start(c, host, "registry.example/web:1", "", false, true);
        host.runNext(); // the apply
        assertNull(driver.rollout().outageTolerance(), "a plain rolling deploy does not ride out a failing check");
        host.runUntilDone();
        assertNotNull(host.succeeded, String.join("\n", host.log));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, host.succeeded.outcome());
        assertEquals(DeployRecord.Strategy.ROLLING, host.succeeded.strategy());
        assertTrue(host.succeeded.events() == null || host.succeeded.events().isEmpty(),
                "the engine's record as it is, with no event about going straight to full: "
                        + host.succeeded.events());

        ManualHost dry = new ManualHost(c.adminConnection(), "[dry run]");
        start(c, dry, "registry.example/web:2", "", true, true);
        dry.runUntilDone();
        assertNotNull(dry.succeeded, "a dry run succeeds: " + dry.failed);
        assertEquals(DeployRecord.Outcome.DRY_RUN, dry.succeeded.outcome());
        assertEquals("registry.example/web:1", image(c));
    }

    @Test
    void aProgressSavedWithoutADriverCarriesOnAfterAnUpgrade(TestCluster c) throws Exception {
        ManualHost before = new ManualHost(c.adminConnection(), "[before]");
        RolloutDriver old = start(c, before, "registry.example/web:1", "", false, true);
        before.runNext(); // the apply; what an earlier version saved was this progress
        RollingRollout saved = (RollingRollout) io.jenkins.plugins.k8sdeploy.engine.Snapshots.copy(old.rollout());

        ManualHost after = new ManualHost(c.adminConnection(), "[after]");
        RolloutDriver.resuming(true, RollingRollout.plain(saved.progress())).resume(after);
        after.runUntilDone();
        assertNotNull(after.succeeded, String.join("\n", after.log));

        ManualHost nothing = new ManualHost(c.adminConnection(), "[nothing saved]");
        RolloutDriver.resuming(true, null).resume(nothing);
        assertNotNull(nothing.failed, "nothing saved: nothing is repeated");
    }

    @Test
    void aRolloutThatTimesOutRollsBackAndWaitsForTheRollback(TestCluster c) throws Exception {
        deployV1(c);
        ManualHost host = new ManualHost(c.adminConnection(), "[v2 times out]");
        start(c, host, "registry.example/web:2", ", k8spd.test/behaviour: never-ready", false, true,
                Duration.ofSeconds(3));
        host.runUntilDone();
        assertNotNull(host.failedRecord, String.join("\n", host.log));
        assertEquals(DeployRecord.Outcome.FAILED, host.failedRecord.outcome());
        assertTrue(host.log.stream().anyMatch(l -> l.startsWith("Rolling back: Deployment/web rolled back from"
                + " revision 2 to 1")), String.join("\n", host.log));
        assertTrue(host.log.stream().anyMatch(l -> l.startsWith("Rollback of Deployment/web")),
                "the step waits for the rollback: " + String.join("\n", host.log));
        assertEquals("registry.example/web:1", image(c));
    }

    @Test
    void aStopDuringTheRolloutRollsBackAndRecordsIt(TestCluster c) throws Exception {
        deployV1(c);
        ManualHost host = new ManualHost(c.adminConnection(), "[v2]");
        RolloutDriver driver = start(c, host, "registry.example/web:2", ", k8spd.test/behaviour: never-ready", false,
                true, Duration.ofMinutes(2));
        host.runNext(); // the apply
        // Checks until the controller made the new revision (a rollback before that has nothing to go back from).
        Instant seen = Instant.now().plusSeconds(30);
        do {
            assertTrue(Instant.now().isBefore(seen), "the controller never saw v2: " + driver.status());
            host.runNext();
        } while (driver.status().contains("to see the new spec") || !driver.status().contains("Deployment/web:"));
        assertTrue(driver.status().startsWith("rolling out: waiting for Deployment/web"), driver.status());
        driver.stop(host, new DeployException("stopped by the test"));
        host.runUntilDone();
        assertTrue(host.log.contains("The build was stopped during the rollout; rolling back."),
                String.join("\n", host.log));
        assertNotNull(host.failedRecord, "the stopped rollout is recorded: " + host.failed);
        assertEquals(1, host.failedRecord.rollbacks().size(), String.valueOf(host.failedRecord.rollbacks()));
        assertTrue(host.failedRecord.failure().contains("the build was stopped"), host.failedRecord.failure());
        Instant deadline = Instant.now().plusSeconds(30);
        while (!"registry.example/web:1".equals(image(c))) {
            assertTrue(Instant.now().isBefore(deadline), "never rolled back: " + image(c));
            Thread.sleep(100);
        }
    }
}
