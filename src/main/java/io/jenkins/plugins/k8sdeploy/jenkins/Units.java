package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.init.Terminator;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.k8sdeploy.engine.strategy.ApplyLane;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/**
 * The plugin's own threads for the short units its steps run (an apply, one check of a rollout, a rollback, a stop):
 * a bounded pool of named daemon threads, so that no cluster call, metric query or agent read ever runs on
 * {@code jenkins.util.Timer}, the few threads all of Jenkins shares for its periodic work. A unit runs as the
 * authentication its step started with, as {@code GeneralNonBlockingStepExecution} does.
 *
 * <p>Size: {@value #DEFAULT_THREADS} threads unless the system property {@code
 * io.jenkins.plugins.k8sdeploy.jenkins.Units.threads} says otherwise. A waiting rollout holds no thread, so the pool
 * bounds how many units run at one moment, not how many rollouts run.
 *
 * <p>When Jenkins shuts down, the pool is stopped and its running units interrupted; {@link #closing()} then tells
 * them that an interruption is a shutdown, not a failure: the step writes no failed record and carries on after the
 * restart from what it saved.
 */
public final class Units {
    static final int DEFAULT_THREADS = 8;
    private static final Logger LOGGER = Logger.getLogger(Units.class.getName());
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    /** Threads kept for short units (ticks, checks, stops) however many applies wait. */
    static final int RESERVED_FOR_SHORT_UNITS = 2;

    private static ScheduledThreadPoolExecutor pool;
    private static ApplyLane applies;
    /** The Jenkins the pool serves: a Jenkins started again in the same process (tests) gets a new pool. */
    private static Object owner;
    private static volatile boolean closing;

    private Units() {}

    static int threads() {
        return Math.max(1, Integer.getInteger(Units.class.getName() + ".threads", DEFAULT_THREADS));
    }

    private static synchronized ScheduledThreadPoolExecutor pool() {
        Object jenkins = currentJenkins();
        if (pool != null && pool.isShutdown() && owner == jenkins) {
            throw new RejectedExecutionException("Jenkins is shutting down");
        }
        if (pool == null || pool.isShutdown() || owner != jenkins) {
            if (pool != null) {
                pool.shutdownNow();
            }
            owner = jenkins;
            ClassLoader loader = Units.class.getClassLoader();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "k8s-progressive-delivery unit " + THREAD_NUMBER.incrementAndGet());
                t.setDaemon(true);
                t.setContextClassLoader(loader);
                return t;
            };
            ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(threads(), factory);
            p.setRemoveOnCancelPolicy(true);
            pool = p;
            applies = new ApplyLane(p, threads(), RESERVED_FOR_SHORT_UNITS);
            closing = false;
        }
        return pool;
    }

    /**
     * The pool of the Jenkins running now. A step execution keeps the one it started or resumed with and schedules
     * only there, so that after a restart in the same process (tests) nothing of the Jenkins before it (a wake-up
     * from a watch, say) runs in the new one: its pool is shut down and refuses.
     */
    static synchronized Pool current() {
        return new Pool(pool(), applies);
    }

    /** One Jenkins's units: the pool and its apply lane. */
    static final class Pool {
        private final ScheduledThreadPoolExecutor executor;
        private final ApplyLane applies;

        private Pool(ScheduledThreadPoolExecutor executor, ApplyLane applies) {
            this.executor = executor;
            this.applies = applies;
        }

        /**
         * Runs {@code unit} once after {@code delayMillis}, as {@code auth} (the system when null). Throws
         * {@link RejectedExecutionException} once this pool's Jenkins shuts down.
         */
        Future<?> schedule(@CheckForNull Authentication auth, Runnable unit, long delayMillis) {
            return executor.schedule(asUser(auth, unit), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        }

        /**
         * Runs {@code unit}, an apply, as {@code auth} once fewer than all but {@value #RESERVED_FOR_SHORT_UNITS}
         * threads run applies ({@link ApplyLane}): a burst of deploys never holds up the ticks of running rollouts.
         */
        Future<?> scheduleApply(@CheckForNull Authentication auth, Runnable unit) {
            if (executor.isShutdown()) {
                throw new RejectedExecutionException("Jenkins is shutting down");
            }
            return applies.submit(asUser(auth, unit));
        }
    }

    private static Runnable asUser(@CheckForNull Authentication auth, Runnable unit) {
        Authentication as = auth == null ? ACL.SYSTEM2 : auth;
        return () -> {
            try (ACLContext ignored = ACL.as2(as)) {
                unit.run();
            } catch (RuntimeException | Error e) {
                LOGGER.log(Level.WARNING, "a step unit ended with an error it did not handle", e);
            }
        };
    }

    private static Object currentJenkins() {
        try {
            return Jenkins.get();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** True once Jenkins has begun to shut down: an interrupted unit is not a failed step. */
    static boolean closing() {
        return closing;
    }

    /** Stops the pool when Jenkins shuts down: running units are interrupted, waiting ones dropped. */
    @Terminator
    public static void shutDown() throws InterruptedException {
        ScheduledThreadPoolExecutor p;
        synchronized (Units.class) {
            closing = true;
            p = pool;
        }
        if (p == null) {
            return;
        }
        p.shutdownNow();
        if (!p.awaitTermination(10, TimeUnit.SECONDS)) {
            LOGGER.warning("some progressive delivery units did not end within 10 s of shutdown");
        }
    }
}
