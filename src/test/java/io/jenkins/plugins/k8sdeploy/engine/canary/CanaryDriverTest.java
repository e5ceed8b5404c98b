package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.strategy.ManualHost;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RolloutDriver;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state machine a pipeline step runs a canary with ({@link RolloutDriver}), driven by hand on the test thread in
 * place of Jenkins' timer: a plan that pauses for approval waits as one scheduled unit and no thread, survives being
 * serialized and read back (a controller restart), and carries on when the approval arrives on the Deployment.
 */
@RequiresCluster
class CanaryDriverTest {
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    @Test
    void anApprovalWaitHoldsNoThreadSurvivesARestartAndResumesWhenApproved(TestCluster c) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), CanaryEngineTest.app("registry.example/web:1.0", 2, ""),
                StandardCharsets.UTF_8);
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(Duration.ofMinutes(2)).build();
        CanaryEngine engine = new CanaryEngine(CLOCK);
        Rollouts.run(engine.start(new CanaryRequest(deploy, null, CanaryPlan.parse("100%"), null, null, null, "t"),
                new LocalManifestFiles(dir), c.adminConnection(), null, s -> { }), c.adminConnection(), CLOCK,
                s -> { }, true);
        Files.writeString(dir.resolve("app.yaml"), CanaryEngineTest.app("registry.example/web:2.0", 2, ""),
                StandardCharsets.UTF_8);

        ManualHost host = new ManualHost(c.adminConnection(), "[driver]");
        RolloutDriver driver = new RolloutDriver(true);
        driver.start(host, (connection, log) -> engine.start(new CanaryRequest(deploy, null,
                CanaryPlan.parse("50%, approval, 100%"), null, null, null, "jenkins: shop/deploy #7"),
                new LocalManifestFiles(dir), connection, null, log));
        Instant deadline = Instant.now().plusSeconds(90);
        while (!driver.status().contains("waiting for approval")) {
            assertTrue(Instant.now().isBefore(deadline), "never reached the approval: " + driver.status());
            host.runNext();
        }
        assertEquals(1, host.queue.size(), "waiting is one scheduled unit, not a blocked thread");
        assertTrue(host.longestUnitMillis < 5000, "every unit is short: " + host.longestUnitMillis + " ms");
        assertTrue(host.saves >= 3, "state saved after the start and at each change of status: " + host.saves);
        for (int i = 0; i < 3; i++) {
            host.runNext();
        }
        assertEquals("canary web at 50%: waiting for approval", driver.status(), "still waiting, nothing approved");

        // A controller restart: the execution is written out and read back; the old timer is gone.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(driver);
        }
        assertFalse(bytes.toString(StandardCharsets.ISO_8859_1).contains("PRIVATE KEY"), "no credential is kept");
        RolloutDriver restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (RolloutDriver) in.readObject();
        }
        ManualHost after = new ManualHost(c.adminConnection(), "[driver]");
        restored.resume(after);
        after.runNext();
        assertEquals("canary web at 50%: waiting for approval", restored.status());
        assertNull(after.succeeded);

        // Approval arrives on the Deployment, as k8spd canary promote (or an approval gate) writes it.
        c.admin().apps().deployments().inNamespace(c.namespace()).withName("web").edit(d -> {
            d.getMetadata().getAnnotations().put(CanaryState.COMMAND, CanaryState.PROMOTE);
            return d;
        });
        deadline = Instant.now().plusSeconds(90);
        while (!after.done()) {
            assertTrue(Instant.now().isBefore(deadline), "never finished: " + restored.status());
            after.runNext();
        }

        assertNull(after.failed, String.join("\n", after.log));
        assertNotNull(after.succeeded);
        List<StrategyEvent.Type> types = after.succeeded.events().stream().map(StrategyEvent::type).toList();
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.WEIGHT, StrategyEvent.Type.APPROVAL_WAIT,
                StrategyEvent.Type.APPROVED, StrategyEvent.Type.PROMOTE, StrategyEvent.Type.PROMOTED), types);
        assertEquals("registry.example/web:2.0", c.admin().apps().deployments().inNamespace(c.namespace())
                .withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(Map.of(), c.admin().apps().deployments().inNamespace(c.namespace()).withName("web").get()
                .getMetadata().getAnnotations().entrySet().stream()
                .filter(e -> e.getKey().startsWith("k8s-progressive-delivery.jenkins.io/canary"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertTrue(after.queue.isEmpty(), "nothing left scheduled");
    }

    RolloutDriver startAtApproval(TestCluster c, ManualHost host, String plan,
            io.jenkins.plugins.k8sdeploy.engine.strategy.Approval.Policy policy) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), CanaryEngineTest.app("registry.example/web:1.0", 2, ""),
                StandardCharsets.UTF_8);
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(Duration.ofMinutes(2)).build();
        CanaryEngine engine = new CanaryEngine(CLOCK);
        Rollouts.run(engine.start(new CanaryRequest(deploy, null, CanaryPlan.parse("100%"), null, null, null, "t"),
                new LocalManifestFiles(dir), c.adminConnection(), null, s -> { }), c.adminConnection(), CLOCK,
                s -> { }, true);
        Files.writeString(dir.resolve("app.yaml"), CanaryEngineTest.app("registry.example/web:2.0", 2, ""),
                StandardCharsets.UTF_8);
        RolloutDriver driver = new RolloutDriver(true);
        driver.start(host, (connection, log) -> ((CanaryRollout) engine.start(new CanaryRequest(deploy, null,
                CanaryPlan.parse(plan), null, null, null, "jenkins: shop/deploy #8"), new LocalManifestFiles(dir),
                connection, null, log)).withApprovalPolicy(policy));
        Instant deadline = Instant.now().plusSeconds(90);
        while (host.approvals.isEmpty()) {
            assertTrue(Instant.now().isBefore(deadline), "never asked for approval: " + driver.status());
            host.runNext();
        }
        return driver;
    }

    @Test
    void aDecisionFromThePageApprovesOrRejectsTheWaitItWasGivenFor(TestCluster c) throws Exception {
        ManualHost host = new ManualHost(c.adminConnection(), "[driver]");
        RolloutDriver driver = startAtApproval(c, host, "50%, approval, 100%",
                new io.jenkins.plugins.k8sdeploy.engine.strategy.Approval.Policy("Ship 2.0 to everyone?", null,
                        false));
        var approval = host.approvals.get(0).orElseThrow();
        assertEquals("Ship 2.0 to everyone?", approval.message());
        assertNull(approval.deadline(), "no timeout: waits until someone decides");

        driver.decide(host, new io.jenkins.plugins.k8sdeploy.engine.strategy.Approval.Decision("stale-id", true,
                "mallory", null));
        host.runNext();
        assertEquals("canary web at 50%: waiting for approval", driver.status(), "an answer to another wait is ignored");

        driver.decide(host, new io.jenkins.plugins.k8sdeploy.engine.strategy.Approval.Decision(approval.id(), false,
                "alice", "error budget spent"));
        Instant deadline = Instant.now().plusSeconds(90);
        while (!host.done()) {
            assertTrue(Instant.now().isBefore(deadline), "never finished: " + driver.status());
            host.runNext();
        }
        assertEquals(java.util.Optional.empty(), host.approvals.get(host.approvals.size() - 1),
                "the page is told the wait is over");
        assertEquals(DeployRecord.Outcome.ABORTED, host.failedRecord.outcome());
        StrategyEvent rejected = host.failedRecord.events().stream()
                .filter(e -> e.type().equals(StrategyEvent.Type.REJECTED)).findFirst().orElseThrow();
        assertEquals("Rejected by alice: error budget spent.", rejected.detail());
        assertEquals(0, CanaryEngineTest.pods(c)[1]);
    }

    @Test
    void anApprovalThatTimesOutAbortsByDefault(TestCluster c) throws Exception {
        ManualHost host = new ManualHost(c.adminConnection(), "[driver]");
        RolloutDriver driver = startAtApproval(c, host, "50%, approval, 100%",
                new io.jenkins.plugins.k8sdeploy.engine.strategy.Approval.Policy(null, Duration.ofSeconds(3), false));
        assertNotNull(host.approvals.get(0).orElseThrow().deadline());

        Instant deadline = Instant.now().plusSeconds(90);
        while (!host.done()) {
            assertTrue(Instant.now().isBefore(deadline), "never finished: " + driver.status());
            host.runNext();
        }

        assertEquals(DeployRecord.Outcome.ABORTED, host.failedRecord.outcome());
        assertTrue(host.failedRecord.failure().contains("No decision within 3 s"), host.failedRecord.failure());
        assertEquals("registry.example/web:1.0", c.admin().apps().deployments().inNamespace(c.namespace())
                .withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    /**
     * An approval that only its front end decides (a Jenkins gate with submitters): the promotion k8spd canary promote
     * writes on the Deployment is refused, and the command line is told why; the front end's decision still passes.
     */
    @Test
    void anApprovalOnlyTheFrontEndDecidesRefusesAPromotionWrittenOnTheDeployment(TestCluster c) throws Exception {
        ManualHost host = new ManualHost(c.adminConnection(), "[driver]");
        RolloutDriver driver = startAtApproval(c, host, "50%, approval, 100%",
                io.jenkins.plugins.k8sdeploy.engine.strategy.Approval.Policy.DEFAULT);
        ((CanaryRollout) driver.rollout()).approvalsDecidedOnlyBy("alice");

        List<String> cli = new ArrayList<>();
        io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout command = new CanaryEngine(CLOCK).control(
                c.adminConnection(), c.namespace(), "web", CanaryEngine.Action.PROMOTE, 0, "k8spd: carol",
                AnalysisPort.NONE, Duration.ofSeconds(30), cli::add);
        host.runNext();
        host.runNext();
        assertEquals("canary web at 50%: waiting for approval", driver.status(), "not promoted");
        try (io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster k =
                io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster.connect(c.adminConnection())) {
            assertTrue(command.tick(k, CLOCK, cli::add).finished());
        }
        DeployRecord refused = command.record(CLOCK);
        assertEquals(DeployRecord.Outcome.FAILED, refused.outcome());
        assertTrue(refused.failure().contains("decided only in Jenkins") && refused.failure().contains("alice"),
                refused.failure());
        assertTrue(host.log.stream().anyMatch(l -> l.startsWith("Ignored 'promote' written on Deployment/web")),
                String.join("\n", host.log));

        var approval = host.approvals.get(host.approvals.size() - 1).orElseThrow();
        driver.decide(host, new io.jenkins.plugins.k8sdeploy.engine.strategy.Approval.Decision(approval.id(), true,
                "alice", null));
        Instant deadline = Instant.now().plusSeconds(90);
        while (!host.done()) {
            assertTrue(Instant.now().isBefore(deadline), "never finished: " + driver.status());
            host.runNext();
        }
        assertNull(host.failed, String.join("\n", host.log));
    }
}
