package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver of a canary dies (it stops ticking mid-plan, as a SIGKILLed k8spd or a lost Jenkins controller would),
 * against the real control plane: an abort does not wait for it, a command left for it is never carried out later, and
 * status says it is gone.
 */
@RequiresCluster
class DeadDriverTest {
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    final CanaryRuns.Log sink = new CanaryRuns.Log("[dead driver]");
    final List<String> log = sink.lines;

    /** Version 1 on 4 pods, then the start of a canary of version 2 with {@code plan}, driven by {@code driver}. */
    Rollout startCanary(TestCluster c, String plan, String driver) throws Exception {
        return CanaryRuns.v1ThenCanaryOfV2(c, dir, c.adminConnection(), plan, Duration.ofMinutes(2), driver, sink);
    }

    /** Ticks {@code r} as its driver would until it logs a line starting with {@code line}. */
    void tickUntil(TestCluster c, Rollout r, String line) throws Exception {
        try (KubeCluster cluster = KubeCluster.connect(c.adminConnection())) {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!sink.any(line) && System.nanoTime() < end) {
                Thread.sleep(Math.max(0, r.tick(cluster, CLOCK, sink).next().toMillis()));
            }
        }
    }

    /** A canary paused at 25% for 10 minutes; then its driver dies: nothing ticks it again. */
    void canaryWhoseDriverDied(TestCluster c) throws Exception {
        tickUntil(c, startCanary(c, "25%, pause 10m, 100%", "k8spd 4242@ci-runner"), "Pausing 10 min at 25%");
        assertEquals(1, CanaryEngineTest.pods(c)[1], "the canary at 25% of 4");
    }

    Deployment stable(TestCluster c) {
        return c.admin().apps().deployments().inNamespace(c.namespace()).withName("web").get();
    }

    Map<String, String> annotations(TestCluster c) {
        return CanaryState.annotations(stable(c));
    }

    /** As if the driver had last spoken {@code ago}. */
    void silence(TestCluster c, Duration ago) {
        annotate(c, CanaryState.HEARTBEAT, Instant.now().minus(ago).toString());
    }

    /** Sets one annotation of Deployment/web with a merge patch (no conflict with the controllers' updates). */
    static void annotate(TestCluster c, String key, String value) {
        c.admin().apps().deployments().inNamespace(c.namespace()).withName("web").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
    }

    @Test
    void anAbortTakesOverFromADeadDriverWithinSeconds(TestCluster c) throws Exception {
        canaryWhoseDriverDied(c);

        long start = System.nanoTime();
        Rollout abort = new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web",
                CanaryEngine.Action.ABORT, 0, "k8spd 77@laptop", AnalysisPort.NONE, Duration.ofMinutes(10), sink);
        Duration handed = Duration.ofNanos(System.nanoTime() - start);
        DeployRecord aborted = Rollouts.run(abort, c.adminConnection(), CLOCK, sink, true);
        Duration total = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(handed.compareTo(Duration.ofSeconds(2)) < 0, "acted after " + handed.toMillis() + " ms");
        assertEquals(DeployRecord.Outcome.ABORTED, aborted.outcome(), String.join("\n", log));
        assertTrue(log.contains("k8spd 4242@ci-runner did not take the abort within 1.5 s; aborting the canary of web"
                + " from here."), String.join("\n", log));
        assertEquals(0, CanaryEngineTest.pods(c)[1], "no canary pod is left");
        assertFalse(CanaryState.inProgress(stable(c)), "no canary annotations are left");
        assertNull(annotations(c).get(CanaryState.COMMAND), "no command is left behind");
        System.out.println("abort of a canary whose driver died: handed over in " + handed.toMillis() + " ms, done in "
                + total.toMillis() + " ms");
    }

    @Test
    void aPromotionNobodyTookIsWithdrawnAndATakeoverLaterDoesNotCarryItOut(TestCluster c) throws Exception {
        canaryWhoseDriverDied(c);

        Rollout promote = new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web",
                CanaryEngine.Action.FULL, 0, "k8spd 78@laptop", AnalysisPort.NONE, Duration.ofSeconds(3), sink);
        DeployRecord unanswered = Rollouts.run(promote, c.adminConnection(), CLOCK, sink, true);
        assertEquals(DeployRecord.Outcome.FAILED, unanswered.outcome());
        assertTrue(unanswered.failure().contains("The command was withdrawn"), unanswered.failure());
        assertNull(annotations(c).get(CanaryState.COMMAND), "the unanswered command is withdrawn");

        silence(c, Duration.ofMinutes(5));
        DeployRecord at50 = Rollouts.run(new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web",
                CanaryEngine.Action.WEIGHT, 50, "k8spd 79@laptop", AnalysisPort.NONE, Duration.ofMinutes(2), sink),
                c.adminConnection(), CLOCK, sink, true);

        assertEquals(DeployRecord.Outcome.SUCCEEDED, at50.outcome(), String.join("\n", log));
        assertEquals("50", annotations(c).get(CanaryState.WEIGHT), "moved to 50%, not promoted fully");
        assertEquals(2, CanaryEngineTest.pods(c)[1], "canary pods at 50% of 4");
    }

    @Test
    void aCommandLeftForADriverThatIsGoneIsDroppedWhenAnotherTakesOver(TestCluster c) throws Exception {
        canaryWhoseDriverDied(c);
        annotate(c, CanaryState.COMMAND, CanaryState.Command.of(CanaryState.PROMOTE_FULL, Instant.now(),
                Duration.ofMinutes(10)).encode());
        silence(c, Duration.ofMinutes(5));

        DeployRecord at50 = Rollouts.run(new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web",
                CanaryEngine.Action.WEIGHT, 50, "k8spd 80@laptop", AnalysisPort.NONE, Duration.ofMinutes(2), sink),
                c.adminConnection(), CLOCK, sink, true);

        assertEquals(DeployRecord.Outcome.SUCCEEDED, at50.outcome(), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Dropped 'promote-full', left on Deployment/web for a"
                + " driver that is gone")), String.join("\n", log));
        assertEquals("50", annotations(c).get(CanaryState.WEIGHT), "moved to 50%, not promoted fully");
        assertTrue(CanaryState.inProgress(stable(c)), "still a canary");
    }

    @Test
    void anExpiredCommandIsIgnoredByALiveDriver(TestCluster c) throws Exception {
        Rollout r = startCanary(c, "25%, pause 4s, 50%", "k8spd 4243@ci-runner");
        tickUntil(c, r, "Pausing 4 s at 25%");
        Instant old = Instant.now().minus(Duration.ofMinutes(20));
        annotate(c, CanaryState.COMMAND, new CanaryState.Command(CanaryState.PROMOTE_FULL, "0ld", old,
                old.plus(Duration.ofMinutes(10))).encode());

        DeployRecord done = Rollouts.run(r, c.adminConnection(), CLOCK, sink, true);

        assertEquals(DeployRecord.Outcome.SUCCEEDED, done.outcome(), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Ignored 'promote-full' written on Deployment/web at "
                + old + ": it expired at ")), String.join("\n", log));
        assertEquals("50", annotations(c).get(CanaryState.WEIGHT), "the plan went on to 50%, no further");
        assertNull(annotations(c).get(CanaryState.COMMAND), "taken off, once");
    }

    @Test
    void statusSaysWhenTheDriverIsGone(TestCluster c) throws Exception {
        canaryWhoseDriverDied(c);
        assertTrue(CanaryState.driverLine(stable(c), Instant.now()).startsWith(
                "driven by k8spd 4242@ci-runner (heard from "), CanaryState.driverLine(stable(c), Instant.now()));

        silence(c, Duration.ofMinutes(3));

        String line = CanaryState.driverLine(stable(c), Instant.now());
        assertTrue(line.startsWith("its driver k8spd 4242@ci-runner is gone (last heard from 3 min"), line);
        assertTrue(line.endsWith("ago); promote or abort acts on it directly"), line);
    }
}
