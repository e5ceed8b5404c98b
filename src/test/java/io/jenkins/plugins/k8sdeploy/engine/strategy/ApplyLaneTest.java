package io.jenkins.plugins.k8sdeploy.engine.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A burst of applies leaves threads to the ticks of running rollouts, and runs in order. */
class ApplyLaneTest {
    final ScheduledExecutorService pool = Executors.newScheduledThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aBurstOfAppliesLeavesTheReservedThreadsToTicks() throws Exception {
        ApplyLane lane = new ApplyLane(pool, 4, 2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            lane.submit(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(n);
                await(release);
                running.decrementAndGet();
            });
        }
        // Two applies hold two threads and eight wait; a tick still gets a thread at once.
        CountDownLatch ticked = new CountDownLatch(1);
        pool.schedule(ticked::countDown, 0, TimeUnit.MILLISECONDS);
        assertTrue(ticked.await(2, TimeUnit.SECONDS), "a tick ran while the applies waited");
        assertEquals(10, lane.pending());

        release.countDown();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lane.pending() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(0, lane.pending());
        assertEquals(2, most.get(), "never more than the pool's size less the threads kept for ticks");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order.stream().sorted().toList(), "each ran once");
    }

    @Test
    void waitingAppliesRunInTheOrderTheyCame() throws Exception {
        ApplyLane lane = new ApplyLane(pool, 3, 2); // one apply at a time
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        lane.submit(() -> await(release));
        Future<?> last = null;
        for (int i = 0; i < 6; i++) {
            int n = i;
            last = lane.submit(() -> order.add(n));
        }
        release.countDown();
        last.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), order);
    }

    @Test
    void anApplyCancelledWhileWaitingNeverRuns() throws Exception {
        ApplyLane lane = new ApplyLane(pool, 3, 2); // one apply at a time
        CountDownLatch release = new CountDownLatch(1);
        lane.submit(() -> await(release));
        AtomicInteger ran = new AtomicInteger();
        Future<?> waiting = lane.submit(ran::incrementAndGet);
        Future<?> after = lane.submit(ran::incrementAndGet);
        waiting.cancel(false);
        release.countDown();
        after.get(5, TimeUnit.SECONDS);
        assertEquals(1, ran.get(), "only the one not cancelled");
        assertTrue(waiting.isCancelled());
    }

    /** An apply that holds its thread until {@code release}. */
    private static void await(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
