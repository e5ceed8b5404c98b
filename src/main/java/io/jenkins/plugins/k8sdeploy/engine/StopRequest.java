package io.jenkins.plugins.k8sdeploy.engine;

import java.time.Duration;

/**
 * A request from outside (the command line's signal handling) to stop a rollout that runs on the caller's thread. The
 * rollout looks at it between its units of work and stops the way it would if a Jenkins build were stopped; only its
 * waits are interrupted, never a request to the API server, so no unit is left half done.
 */
public final class StopRequest {
    /** A wait that may be cut short. */
    @FunctionalInterface
    public interface Wait {
        void await() throws InterruptedException;
    }

    private final Object lock = new Object();
    private String reason;
    private Thread waiting;

    /** Asks the rollout to stop for {@code reason} ("cancelled by SIGTERM"); the first reason given stays. */
    public void request(String reason) {
        synchronized (lock) {
            if (this.reason == null) {
                this.reason = reason;
            }
            if (waiting != null) {
                waiting.interrupt();
            }
        }
    }

    /** The reason a stop was asked for, or {@code null}. */
    public String reason() {
        synchronized (lock) {
            return reason;
        }
    }

    public boolean requested() {
        return reason() != null;
    }

    /**
     * Runs {@code wait}, returning early (and normally) when a stop is asked for meanwhile; the thread's interrupt
     * status is left as it was found, so the requests that follow are not cut short.
     *
     * @throws InterruptedException when something else interrupted the wait
     */
    public void await(Wait wait) throws InterruptedException {
        synchronized (lock) {
            if (reason != null) {
                return;
            }
            waiting = Thread.currentThread();
        }
        try {
            wait.await();
        } catch (InterruptedException e) {
            if (reason() == null) {
                throw e;
            }
        } finally {
            synchronized (lock) {
                waiting = null;
                if (reason != null) {
                    Thread.interrupted(); // an interrupt meant for this wait only
                }
            }
        }
    }

    /** Sleeps for {@code d}, or until a stop is asked for. */
    public void sleep(Duration d) throws InterruptedException {
        await(() -> Thread.sleep(Math.max(0, d.toMillis())));
    }
}
