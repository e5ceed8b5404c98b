package io.jenkins.plugins.k8sdeploy.engine.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An approval gate before a rolling deploy ({@link GateRollout}), driven by a {@link RolloutDriver} by hand as a
 * Pipeline step would on Jenkins' timer: it waits as one scheduled unit without applying anything, survives being
 * serialized and read back, and applies only once approved; rejected or timed out, nothing is applied.
 */
@RequiresCluster
class GateRolloutTest {
    @TempDir
    Path dir;

    static String app(String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: %s
                """.formatted(image);
    }

    RolloutDriver startAtGate(TestCluster c, ManualHost host, Approval.Policy policy) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), app("registry.example/web:3.0"), StandardCharsets.UTF_8);
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(Duration.ofMinutes(2)).build();
        RolloutDriver driver = new RolloutDriver(true);
        driver.start(host, (connection, log) -> GateRollout.before(GateRollout.Deploy.of(deploy), policy,
                DeployRecord.Strategy.ROLLING, null).withFiles(new LocalManifestFiles(dir)));
        Instant deadline = Instant.now().plusSeconds(30);
        while (host.approvals.isEmpty() && !host.done()) {
            assertTrue(Instant.now().isBefore(deadline), "never asked for approval: " + driver.status());
            host.runNext();
        }
        return driver;
    }

    boolean deployed(TestCluster c) {
        return c.admin().apps().deployments().inNamespace(c.namespace()).withName("web").get() != null;
    }

    @Test
    void waitsWithoutApplyingSurvivesARestartAndDeploysWhenApproved(TestCluster c) throws Exception {
        ManualHost host = new ManualHost(c.adminConnection(), "[gate]");
        RolloutDriver driver = startAtGate(c, host, new Approval.Policy("Deploy web 3.0 to production?", null,
                false));
        Approval pending = host.approvals.get(0).orElseThrow();
        assertEquals("Deploy web 3.0 to production?", pending.message());
        assertNull(pending.deadline());
        for (int i = 0; i < 3; i++) {
            host.runNext();
        }
        assertEquals(1, host.queue.size(), "waiting is one scheduled unit, not a blocked thread");
        assertEquals("waiting for approval: Deploy web 3.0 to production?", driver.status());
        assertTrue(!deployed(c), "nothing is applied before the approval");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(driver);
        }
        RolloutDriver restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (RolloutDriver) in.readObject();
        }
        ManualHost after = new ManualHost(c.adminConnection(), "[gate]");
        ((GateRollout) restored.rollout()).withFiles(new LocalManifestFiles(dir));
        restored.resume(after);
        assertEquals(pending, after.approvals.get(0).orElseThrow(), "the same wait is shown again");
        after.runNext();
        assertEquals("waiting for approval: Deploy web 3.0 to production?", restored.status());

        restored.decide(after, new Approval.Decision("some-other-wait", true, "mallory", null));
        restored.decide(after, new Approval.Decision(pending.id(), true, "alice", "go"));
        after.runUntilDone();

        assertNull(after.failed, String.join("\n", after.log));
        assertNotNull(after.succeeded);
        assertEquals(DeployRecord.Outcome.SUCCEEDED, after.succeeded.outcome());
        assertEquals(List.of(StrategyEvent.Type.APPROVAL_WAIT, StrategyEvent.Type.APPROVED, StrategyEvent.Type.START),
                after.succeeded.events().stream().map(StrategyEvent::type).toList());
        assertTrue(after.succeeded.events().get(1).detail().contains("alice"));
        assertTrue(after.succeeded.objects().stream().anyMatch(o -> o.name().equals("web")));
        assertEquals("registry.example/web:3.0", c.admin().apps().deployments().inNamespace(c.namespace())
                .withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertTrue(after.approvals.get(after.approvals.size() - 1).isEmpty(), "the wait is closed");
    }

    @Test
    void rejectedAppliesNothing(TestCluster c) throws Exception {
        ManualHost host = new ManualHost(c.adminConnection(), "[gate]");
        RolloutDriver driver = startAtGate(c, host, Approval.Policy.DEFAULT);
        Approval pending = host.approvals.get(0).orElseThrow();
        assertTrue(pending.message().startsWith("Deploy app.yaml to namespace "), pending.message());
        driver.decide(host, new Approval.Decision(pending.id(), false, "bob", "not on a Friday"));
        host.runUntilDone();

        assertNull(host.succeeded);
        assertTrue(host.failed.getMessage().contains("bob") && host.failed.getMessage().contains("not on a Friday"),
                host.failed.getMessage());
        assertEquals(DeployRecord.Outcome.ABORTED, host.failedRecord.outcome());
        assertEquals(List.of(StrategyEvent.Type.APPROVAL_WAIT, StrategyEvent.Type.REJECTED),
                host.failedRecord.events().stream().map(StrategyEvent::type).toList());
        assertTrue(!deployed(c), "nothing applied");
    }

    @Test
    void aTimeoutAbortsUnlessToldToProceed(TestCluster c) throws Exception {
        ManualHost host = new ManualHost(c.adminConnection(), "[gate]");
        startAtGate(c, host, new Approval.Policy(null, Duration.ofSeconds(2), false));
        assertNotNull(host.approvals.get(0).orElseThrow().deadline());
        host.runUntilDone();
        assertNull(host.succeeded);
        assertTrue(host.failed.getMessage().startsWith("No decision within 2 s"), host.failed.getMessage());
        assertEquals(DeployRecord.Outcome.ABORTED, host.failedRecord.outcome());
        assertTrue(!deployed(c), "nothing applied");

        ManualHost proceeding = new ManualHost(c.adminConnection(), "[gate]");
        startAtGate(c, proceeding, new Approval.Policy(null, Duration.ofSeconds(2), true));
        proceeding.runUntilDone();
        assertNull(proceeding.failed, String.join("\n", proceeding.log));
        assertEquals(List.of(StrategyEvent.Type.APPROVAL_WAIT, StrategyEvent.Type.APPROVED, StrategyEvent.Type.START),
                proceeding.succeeded.events().stream().map(StrategyEvent::type).toList());
        assertTrue(deployed(c));
    }

    @Test
    void stoppedWhileWaitingAppliesNothing(TestCluster c) throws Exception {
        ManualHost host = new ManualHost(c.adminConnection(), "[gate]");
        RolloutDriver driver = startAtGate(c, host, Approval.Policy.DEFAULT);
        driver.stop(host, new InterruptedException("aborted by carol"));
        assertNull(host.failedRecord, "a stop returns at once; its own unit ends the rollout");
        host.runUntilDone();
        assertEquals(DeployRecord.Outcome.ABORTED, host.failedRecord.outcome());
        assertEquals(StrategyEvent.Type.ABORT, host.failedRecord.events().get(1).type());
        assertTrue(!deployed(c), "nothing applied");
    }

    /**
     * The gate keeps its deploy without the substitution variables (with {@code substitute: true} they are the
     * build's environment, secrets included): the saved state never holds them; read back after a restart, the deploy
     * needs them handed in again, and without them it applies nothing and says why.
     */
    @Test
    void theGateKeepsNoVariablesAndAppliesOnlyWithThemHandedInAgain(TestCluster c) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), app("registry.example/web:${TAG}"), StandardCharsets.UTF_8);
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .variables(java.util.Map.of("TAG", "3.1", "DB_PASSWORD", "hunter2-not-for-disk"))
                .timeout(Duration.ofMinutes(2)).build();
        for (boolean givenAgain : new boolean[] {false, true}) {
            ManualHost host = new ManualHost(c.adminConnection(), "[gate]");
            RolloutDriver driver = new RolloutDriver(true);
            driver.start(host, (connection, log) -> GateRollout.before(GateRollout.Deploy.of(deploy),
                    Approval.Policy.DEFAULT, DeployRecord.Strategy.ROLLING, null).withFiles(new LocalManifestFiles(dir))
                    .withVariables(deploy.variables()));
            Instant deadline = Instant.now().plusSeconds(30);
            while (host.approvals.isEmpty()) {
                assertTrue(Instant.now().isBefore(deadline), "never asked for approval: " + driver.status());
                host.runNext();
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(driver);
            }
            assertFalse(bytes.toString(StandardCharsets.ISO_8859_1).contains("hunter2-not-for-disk"),
                    "the saved state holds no variable");
            RolloutDriver restored;
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                restored = (RolloutDriver) in.readObject();
            }
            GateRollout gate = ((GateRollout) restored.rollout()).withFiles(new LocalManifestFiles(dir));
            if (givenAgain) {
                gate.withVariables(deploy.variables());
            }
            ManualHost after = new ManualHost(c.adminConnection(), "[gate]");
            restored.resume(after);
            restored.decide(after, new Approval.Decision(host.approvals.get(0).orElseThrow().id(), true, "alice",
                    null));
            after.runUntilDone();
            if (givenAgain) {
                assertNull(after.failed, String.join("\n", after.log));
                assertEquals("registry.example/web:3.1", c.admin().apps().deployments().inNamespace(c.namespace())
                        .withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            } else {
                assertTrue(after.failed.getMessage().contains("could not be read again"), after.failed.getMessage());
                assertFalse(deployed(c), "nothing applied");
            }
        }
    }
}
