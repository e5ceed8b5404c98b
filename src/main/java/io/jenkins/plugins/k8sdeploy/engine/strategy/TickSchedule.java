package io.jenkins.plugins.k8sdeploy.engine.strategy;

import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * When a {@link RolloutDriver}'s next unit runs: the one unit scheduled on the host's timer, when it is due, and a
 * wake-up that brings the next tick forward when something the rollout reads changed. Guarded by its own lock, which
 * a wake-up (on a shared callback thread) takes without ever waiting for a running unit. Each tick scheduled has a
 * number; a tick that a wake-up replaced finds it is not the last one scheduled ({@link #claim}) and does nothing.
 * Lives only in memory: after a restart the driver schedules afresh.
 */
final class TickSchedule {
    private final Object lock = new Object();
    /** The next unit; null while a tick runs (or before the first is scheduled). */
    private Future<?> task;
    /** When the next tick is due (epoch millis). */
    private long nextAt;
    /** Something the rollout reads changed since the running tick read it: the next tick comes at once. */
    private boolean woken;
    /** The number of the tick last scheduled. */
    private long scheduled;

    /** The unit that starts the rollout, so that a stop can cancel it. */
    void starting(Future<?> start) {
        synchronized (lock) {
            task = start;
        }
    }

    /** Schedules tick {@code number} after {@code delayMillis} on {@code host}, sooner when woken meanwhile. */
    void tick(RolloutDriver.Host host, long delayMillis, LongConsumer unit) {
        synchronized (lock) {
            long delay = woken ? Math.min(delayMillis, RolloutDriver.WAKE_DELAY_MS) : delayMillis;
            woken = false;
            nextAt = System.currentTimeMillis() + delay;
            long number = ++scheduled;
            task = host.schedule(() -> unit.accept(number), delay);
        }
    }

    /**
     * Something the rollout reads changed: the tick due later comes in {@link RolloutDriver#WAKE_DELAY_MS}
     * instead. A tick running now (or due soon anyway) is left as it is; the one after it comes at once.
     */
    void wake(RolloutDriver.Host host, LongConsumer unit) {
        synchronized (lock) {
            woken = true;
            Future<?> t = task;
            if (t == null || nextAt - System.currentTimeMillis() <= RolloutDriver.WAKE_DELAY_MS) {
                return; // running now (its next tick comes at once) or due soon anyway
            }
            if (t.cancel(false)) {
                woken = false;
                nextAt = System.currentTimeMillis() + RolloutDriver.WAKE_DELAY_MS;
                long number = ++scheduled;
                try {
                    task = host.schedule(() -> unit.accept(number), RolloutDriver.WAKE_DELAY_MS);
                } catch (RuntimeException e) {
                    // the host takes no more units (shutting down): it carries on after a restart from what was
                    // saved, not from here
                    task = null;
                }
            }
        }
    }

    /**
     * Tick {@code number} begins: true when it is the last one scheduled (else a sooner one replaced it and it does
     * nothing). From now on a wake-up only marks that the next tick comes at once; what changed until now, this
     * tick reads.
     */
    boolean claim(long number) {
        synchronized (lock) {
            if (number != scheduled) {
                return false;
            }
            task = null;
            woken = false;
            return true;
        }
    }

    /** A stop: the unit scheduled (if any) does not run. */
    void cancel() {
        Future<?> t;
        synchronized (lock) {
            t = task;
        }
        if (t != null) {
            t.cancel(false);
        }
    }
}
