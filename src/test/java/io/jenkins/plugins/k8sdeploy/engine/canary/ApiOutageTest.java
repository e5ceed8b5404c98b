package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RecordingHost;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RolloutDriver;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.testbed.OutageProxy;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server stops answering in the middle of a canary, as the driver sees it (a relay in front of the test bed's
 * API server is taken down, so other tests keep theirs): an outage shorter than the rollout's timeout is waited out,
 * from the command line and from a Jenkins step alike, with no step repeated or skipped; a longer one ends the
 * rollout with a message that says what state it was left in and what to run.
 */
@RequiresCluster
class ApiOutageTest {
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    final CanaryRuns.Log sink = new CanaryRuns.Log("[outage]");
    final List<String> log = sink.lines;
    final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);

    @AfterEach
    void shutDown() {
        pool.shutdownNow();
    }

    /** Version 1 on 4 pods (straight to full), then the start of a canary of version 2 through {@code via}. */
    Rollout startCanary(TestCluster c, ClusterConnection via, String plan, Duration timeout) throws Exception {
        return CanaryRuns.v1ThenCanaryOfV2(c, dir, via, plan, timeout, "t", sink);
    }

    void awaitLine(String part) throws InterruptedException {
        sink.await(part);
    }

    static List<StrategyEvent.Type> types(DeployRecord r) {
        return r.events().stream().map(StrategyEvent::type).toList();
    }

    @Test
    void theCommandLineWaitsOutAnOutageDuringAPauseAndCarriesOnWhereItWas(TestCluster c) throws Exception {
        try (OutageProxy proxy = OutageProxy.start(c)) {
            ClusterConnection via = proxy.connection();
            Rollout r = startCanary(c, via, "25%, pause 6s, 50%", Duration.ofMinutes(2));
            CompletableFuture<DeployRecord> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return Rollouts.run(r, via, CLOCK, sink, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitLine("Pausing 6 s at 25%");

            proxy.down();
            Thread.sleep(4000); // longer than the client's own few retries (under a second)
            proxy.up();
            DeployRecord done = run.get(90, TimeUnit.SECONDS);

            assertEquals(DeployRecord.Outcome.SUCCEEDED, done.outcome(), String.join("\n", log));
            assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.WEIGHT, StrategyEvent.Type.PAUSE, StrategyEvent.Type.RESUME,
                    StrategyEvent.Type.WEIGHT, StrategyEvent.Type.PAUSE), types(done), "each step once, none skipped");
            assertEquals(50, done.events().get(4).weight());
            assertEquals(2, CanaryEngineTest.pods(c)[1], "canary pods at 50% of 4");
            assertTrue(log.stream().anyMatch(l -> l.startsWith("The Kubernetes API server did not answer (")),
                    String.join("\n", log));
            assertTrue(log.stream().anyMatch(l -> l.startsWith("The Kubernetes API server answers again after ")),
                    String.join("\n", log));
        }
    }

    @Test
    void aJenkinsStepWaitsOutAnOutageToo(TestCluster c) throws Exception {
        try (OutageProxy proxy = OutageProxy.start(c)) {
            ClusterConnection via = proxy.connection();
            Rollout started = startCanary(c, via, "25%, pause 6s, 50%", Duration.ofMinutes(2));
            CountDownLatch done = new CountDownLatch(1);
            RecordingHost host = new RecordingHost(via, "[outage step]") {
                @Override
                public Future<?> schedule(Runnable unit, long delayMillis) {
                    return pool.schedule(unit, delayMillis, TimeUnit.MILLISECONDS);
                }

                @Override
                protected void ended() {
                    done.countDown();
                }
            };
            new RolloutDriver(true).start(host, (connection, l) -> started);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (host.log.stream().noneMatch(l -> l.contains("Pausing 6 s at 25%")) && System.nanoTime() < end) {
                Thread.sleep(50);
            }

            // Down past the end of the pause: the move to 50% meets it (a rollout woken by its caches reads
            // nothing from the server while it pauses).
            proxy.down();
            Thread.sleep(8000);
            proxy.up();

            assertTrue(done.await(90, TimeUnit.SECONDS), String.join("\n", host.log));
            assertEquals(null, host.failed, String.join("\n", host.log));
            assertEquals(DeployRecord.Outcome.SUCCEEDED, host.succeeded.outcome());
            assertEquals(2, CanaryEngineTest.pods(c)[1], "canary pods at 50% of 4");
            assertTrue(host.log.stream().anyMatch(l -> l.startsWith("The Kubernetes API server answers again after")),
                    String.join("\n", host.log));
        }
    }

    @Test
    void anOutageLongerThanTheTimeoutEndsTheRunSayingWhatWasLeftAndWhatToRun(TestCluster c) throws Exception {
        try (OutageProxy proxy = OutageProxy.start(c)) {
            ClusterConnection via = proxy.connection();
            Rollout r = startCanary(c, via, "25%, pause 30s, 50%", Duration.ofSeconds(8));
            CompletableFuture<DeployRecord> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return Rollouts.run(r, via, CLOCK, sink, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitLine("Pausing 30 s at 25%");

            proxy.down();
            Throwable failure = null;
            try {
                run.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failure = e.getCause().getCause();
            }
            proxy.up();

            assertTrue(failure instanceof DeployException, String.valueOf(failure));
            String message = failure.getMessage();
            assertTrue(message.matches("Gave up on the rollout: the Kubernetes API server did not answer for"
                    + " (8|9|10|11)(\\.\\d)? s \\((ConnectException: [^)]+|ClosedChannelException|EOFException[^)]*)\\)"
                    + ".*"), message);
            assertTrue(message.contains("could not be stopped either. It was left as it was (canary web at 25%"),
                    message);
            assertTrue(message.contains("run: k8spd canary abort web -n " + c.namespace()), message);
            assertEquals(1, CanaryEngineTest.pods(c)[1], "the canary is where it was: 25% of 4");
            assertTrue(log.stream().filter(l -> l.startsWith("Still no answer")).count() <= 1,
                    "a line about every 30 s, not one per try:\n" + String.join("\n", log));
        }
    }
}
