package io.jenkins.plugins.k8sdeploy.engine.strategy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** A timer that runs nothing by itself: the test runs the due units one by one, on its own thread. */
public final class ManualHost extends RecordingHost {
    record Pending(Instant due, long seq, Runnable unit, CompletableFuture<Void> future) {}

    public final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> a.due().equals(b.due())
            ? Long.compare(a.seq(), b.seq()) : a.due().compareTo(b.due()));
    private long seq;
    public long longestUnitMillis;

    public ManualHost(ClusterConnection connection, String prefix) {
        super(connection, prefix);
    }

    @Override
    public Future<?> schedule(Runnable unit, long delayMillis) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        queue.add(new Pending(Instant.now().plusMillis(delayMillis), seq++, unit, f));
        return f;
    }

    /** Waits until the next unit is due and runs it here (a cancelled one is dropped). */
    public void runNext() throws InterruptedException {
        Pending p = queue.poll();
        if (p == null) {
            throw new AssertionError("nothing is scheduled: " + String.join("\n", log));
        }
        if (p.future().isCancelled()) {
            return;
        }
        long wait = Duration.between(Instant.now(), p.due()).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        long t0 = System.nanoTime();
        p.unit().run();
        longestUnitMillis = Math.max(longestUnitMillis, (System.nanoTime() - t0) / 1_000_000);
    }

    public void runUntilDone() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!done()) {
            assertTrue(Instant.now().isBefore(deadline), "never finished: " + String.join("\n", log));
            runNext();
        }
    }
}
