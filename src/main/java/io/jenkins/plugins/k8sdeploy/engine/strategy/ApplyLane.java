package io.jenkins.plugins.k8sdeploy.engine.strategy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Keeps the long units (applies: a dry run, discovery, the writes) from taking every thread of a pool shared with the
 * short ones (ticks that read caches and decide): at most {@code threads - reserved} applies run at once, the rest
 * wait here in order, so that when a hundred deploys start together the ticks of the rollouts already running (an
 * abort, a promotion) still run on time.
 */
public final class ApplyLane {
    private final Executor pool;
    private final int max;
    private final Deque<FutureTask<Void>> waiting = new ArrayDeque<>();
    private int running;

    /**
     * @param pool runs the units
     * @param threads the pool's size
     * @param reserved threads kept for short units (at least one apply may always run)
     */
    public ApplyLane(Executor pool, int threads, int reserved) {
        this.pool = pool;
        this.max = Math.max(1, threads - reserved);
    }

    /**
     * Runs {@code unit} when fewer than the limit of applies run; cancelling the result before it runs drops it.
     * Throws {@link RejectedExecutionException} when the pool no longer takes work (shutting down).
     */
    public Future<?> submit(Runnable unit) {
        FutureTask<Void> task = new FutureTask<>(unit, null);
        synchronized (this) {
            waiting.add(task);
        }
        drain();
        if (task.isCancelled()) {
            throw new RejectedExecutionException("the pool no longer takes work");
        }
        return task;
    }

    /** Applies waiting or running now (for tests and benchmarks). */
    public synchronized int pending() {
        return waiting.size() + running;
    }

    private void drain() {
        while (true) {
            FutureTask<Void> next;
            synchronized (this) {
                if (running >= max || waiting.isEmpty()) {
                    return;
                }
                next = waiting.poll();
                running++;
            }
            try {
                pool.execute(() -> {
                    try {
                        next.run(); // does nothing when cancelled meanwhile
                    } finally {
                        done();
                    }
                });
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    running--;
                }
                next.cancel(false); // shutting down: what waits is dropped
            }
        }
    }

    private void done() {
        synchronized (this) {
            running--;
        }
        drain();
    }
}
