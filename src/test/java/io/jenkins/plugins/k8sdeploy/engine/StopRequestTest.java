package io.jenkins.plugins.k8sdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stop cuts a wait short, and only a wait: the requests that follow it are not interrupted. */
class StopRequestTest {

    @Test
    void aStopCutsAWaitShortAndLeavesTheThreadUninterrupted() throws Exception {
        StopRequest stop = new StopRequest();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> interruptedAfter = CompletableFuture.supplyAsync(() -> {
            try {
                stop.await(() -> {
                    waiting.countDown();
                    Thread.sleep(Duration.ofMinutes(5));
                });
                return Thread.currentThread().isInterrupted();
            } catch (InterruptedException e) {
                throw new IllegalStateException("the stop escaped as an interrupt", e);
            }
        });
        assertTrue(waiting.await(10, TimeUnit.SECONDS));

        stop.request("cancelled by SIGTERM");

        assertFalse(interruptedAfter.get(10, TimeUnit.SECONDS), "no interrupt is left for the next request");
        assertEquals("cancelled by SIGTERM", stop.reason());
    }

    @Test
    void aWaitAfterTheStopReturnsAtOnceAndTheFirstReasonStays() throws Exception {
        StopRequest stop = new StopRequest();
        stop.request("cancelled by SIGTERM");
        stop.request("cancelled by SIGINT");

        long start = System.nanoTime();
        stop.sleep(Duration.ofMinutes(5));

        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals("cancelled by SIGTERM", stop.reason());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void anInterruptFromElsewhereIsNotTakenForAStop() {
        StopRequest stop = new StopRequest();
        Thread.currentThread().interrupt();

        assertThrows(InterruptedException.class, () -> stop.sleep(Duration.ofMinutes(5)));
        assertFalse(stop.requested());
    }
}
