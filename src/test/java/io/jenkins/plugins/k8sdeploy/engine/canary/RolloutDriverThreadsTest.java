package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RecordingHost;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RolloutDriver} on real threads, as the Jenkins steps run it: a stop called while a unit holds the rollout
 * returns at once and the abort follows in a unit of its own; a safe restart is told when a unit is busy; and the
 * state Pipeline writes out, on its own thread while units run, is always a whole saved copy.
 */
@RequiresCluster
class RolloutDriverThreadsTest {
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);

    @AfterEach
    void shutDown() {
        pool.shutdownNow();
    }

    /** A host whose units run on a pool of two threads, like the plugin's own. */
    final class ThreadedHost extends RecordingHost {
        final CountDownLatch done = new CountDownLatch(1);

        ThreadedHost(ClusterConnection connection) {
            super(connection, null);
        }

        @Override
        public Future<?> schedule(Runnable unit, long delayMillis) {
            return pool.schedule(unit, delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void ended() {
            done.countDown();
        }

        void awaitDone() throws InterruptedException {
            assertTrue(done.await(90, TimeUnit.SECONDS), "never finished: " + String.join("\n", log));
        }
    }

    DeployRequest deployV1ThenWriteV2(TestCluster c) throws Exception {
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
        return deploy;
    }

    String image(TestCluster c) {
        return c.admin().apps().deployments().inNamespace(c.namespace()).withName("web").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void aStopDuringTheStartReturnsAtOnceAndTheAbortFollowsTheStart(TestCluster c) throws Exception {
        DeployRequest deploy = deployV1ThenWriteV2(c);
        CountDownLatch inStart = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ThreadedHost host = new ThreadedHost(c.adminConnection());
        RolloutDriver driver = new RolloutDriver(true);
        driver.start(host, (connection, log) -> {
            inStart.countDown();
            assertTrue(release.await(60, TimeUnit.SECONDS));
            return new CanaryEngine(CLOCK).start(new CanaryRequest(deploy, null, CanaryPlan.parse("50%, approval,"
                    + " 100%"), null, null, null, "jenkins: shop/deploy #9"), new LocalManifestFiles(dir), connection,
                    null, log);
        });
        assertTrue(inStart.await(30, TimeUnit.SECONDS));
        assertTrue(driver.busy(), "a safe restart waits while the start may be applying");

        long t0 = System.nanoTime();
        driver.stop(host, new InterruptedException("aborted by carol"));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < 100, "stop returned after " + millis + " ms while the start held the rollout");
        assertEquals(0, host.outcomes.get(), "nothing is reported before the stop unit has run");
        driver.stop(host, new InterruptedException("clicked twice"));

        release.countDown();
        host.awaitDone();
        Thread.sleep(500);
        assertEquals(1, host.outcomes.get(), "one outcome, however many stops");
        assertNull(host.succeeded);
        assertEquals("aborted by carol", host.failed.getMessage());
        assertNotNull(host.failedRecord, "the stopped canary is recorded");
        assertEquals(DeployRecord.Outcome.ABORTED, host.failedRecord.outcome());
        assertTrue(host.failedRecord.events().stream().anyMatch(e -> e.type().equals(StrategyEvent.Type.ABORT)),
                String.valueOf(host.failedRecord.events()));
        assertEquals("registry.example/web:1.0", image(c), "stable is still 1.0");
        assertEquals(0, CanaryEngineTest.pods(c)[1], "no canary pod left");
        assertFalse(driver.busy());
    }

    @Test
    void whatIsWrittenOutWhileUnitsRunIsAlwaysAWholeSavedCopy(TestCluster c) throws Exception {
        DeployRequest deploy = deployV1ThenWriteV2(c);
        ThreadedHost host = new ThreadedHost(c.adminConnection());
        RolloutDriver driver = new RolloutDriver(true);
        driver.start(host, (connection, log) -> new CanaryEngine(CLOCK).start(new CanaryRequest(deploy, null,
                CanaryPlan.parse("25%, 50%, 75%, 100%"), null, null, null, "jenkins: shop/deploy #10"),
                new LocalManifestFiles(dir), connection, null, log));

        // Pipeline writes the step out on its own thread, whenever it likes: here as often as it can.
        List<Throwable> writeErrors = Collections.synchronizedList(new ArrayList<>());
        List<String> statuses = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                try {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                        out.writeObject(driver);
                    }
                    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                        statuses.add(((RolloutDriver) in.readObject()).status());
                    }
                } catch (Throwable t) {
                    writeErrors.add(t);
                }
            }
        }, "pipeline-saves");
        writer.start();
        host.awaitDone();
        writing.set(false);
        writer.join(10_000);

        assertNull(host.failed, String.join("\n", host.log));
        assertEquals(List.of(), writeErrors, "every write succeeded");
        assertTrue(statuses.size() > 10, "the writer ran: " + statuses.size());
        assertTrue(statuses.stream().allMatch(s -> s.equals("starting") || s.startsWith("canary web at ")),
                "every copy read back is a whole rollout: " + statuses.stream().distinct().toList());
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("canary web at 50%")),
                "copies follow the saves: " + statuses.stream().distinct().toList());
    }
}
