package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.Snapshots;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Drives a {@link Rollout} from a timer, holding no thread in between: the state machine of an asynchronous Jenkins
 * step execution, kept free of Jenkins so it is tested on its own. The step supplies a {@link Host} (its context: the
 * log, the timer, saving state, the outcome) and keeps this object in its serialized state; after a restart it calls
 * {@link #resume} and the rollout carries on from its state and what the cluster says.
 *
 * <p>Units: one start (a short, bounded piece of work that applies and returns the rollout), then one tick per unit,
 * each scheduled when the previous one said, or sooner when something it reads changed ({@link TickSchedule}). The
 * state is saved after the start, whenever the rollout's status line changes, and at the end; what is saved is a
 * copy taken then ({@link Snapshots}). A stop returns at once and runs
 * the rollout's own stop (abort or switch back when asked) in a unit of its own, which ends the step. A tick that
 * fails because the API server does not answer is tried again with a backoff ({@link Outage}) until the rollout's
 * {@link Rollout#outageTolerance()}.
 */
public final class RolloutDriver implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final java.util.logging.Logger LOGGER = java.util.logging.Logger.getLogger(
            RolloutDriver.class.getName());

    /** What the step execution offers the driver. */
    public interface Host {
        /** Credentials are looked up for each unit and never kept. */
        ClusterConnection connection() throws Exception;

        Consumer<String> log() throws Exception;

        /** Runs {@code unit} once after {@code delayMillis} on a shared timer thread. */
        Future<?> schedule(Runnable unit, long delayMillis);

        /**
         * Runs the start (an apply: many requests) as soon as the host lets one more run ({@link ApplyLane}), so that
         * starts never take every thread from the ticks of rollouts already running. By default at once.
         */
        default Future<?> scheduleApply(Runnable unit) {
            return schedule(unit, 0);
        }

        /** Persists the execution (and with it this driver). */
        void saveState();

        void succeeded(DeployRecord record);

        /** The rollout failed ({@code record} says how) or could not be carried out ({@code record} is null). */
        void failed(DeployRecord record, Throwable cause);

        /**
         * A person's decision is now needed ({@code pending} present), or no longer ({@code pending} empty). Called
         * again after a restart for a wait still pending, so the front end can show it again.
         */
        default void approvalChanged(java.util.Optional<Approval> pending) {}

        /**
         * True once the process is shutting down: a unit interrupted then has not failed, and reports nothing; the
         * step carries on after the restart from what was saved.
         */
        default boolean shuttingDown() {
            return false;
        }
    }

    /** The first unit: apply and return the rollout. Not serialized: it holds the step's parameters. */
    @FunctionalInterface
    public interface Starter {
        Rollout start(ClusterConnection connection, Consumer<String> log) throws Exception;
    }

    private final boolean rollBackOnStop;
    /** The rollout the units change, under this object's lock; read without it for the status line. */
    private transient volatile Rollout rollout;
    /**
     * What is written out when Pipeline saves the step: a copy of {@link #rollout} taken under the lock each time a
     * unit asks for a save, and replaced whole, never changed, so a save on another thread never sees a unit's work
     * half done.
     */
    private volatile Rollout saved;
    private String savedStatus;
    private String shownApproval;

    /** When the next unit runs; none after a restart until {@link #resume} schedules one. */
    private transient volatile TickSchedule schedule = new TickSchedule();
    private transient KubeCluster client;
    private transient volatile boolean stopped;
    /** Set once the outcome has been handed to the host: nothing is reported twice. */
    private transient volatile boolean ended;
    /** How many units that may change the cluster are running now: a safe restart waits while any is. */
    private transient volatile java.util.concurrent.atomic.AtomicInteger busy;
    private transient Clock clock;
    /** An API server that stopped answering, while ticks are tried again; a restart starts afresh. */
    private transient Outage outage;

    /** How soon a tick follows a change it reads: long enough to take a burst of changes in one tick. */
    public static final long WAKE_DELAY_MS = 10;

    public RolloutDriver(boolean rollBackOnStop) {
        this.rollBackOnStop = rollBackOnStop;
    }

    /**
     * A driver for a rollout that was saved without one (a step execution written by an earlier version of the
     * plugin, read back after an upgrade): {@link #resume} carries it on. {@code saved} null: nothing was saved.
     */
    public static RolloutDriver resuming(boolean rollBackOnStop, Rollout saved) {
        RolloutDriver d = new RolloutDriver(rollBackOnStop);
        d.saved = saved;
        d.rollout = Snapshots.copy(saved);
        return d;
    }

    @Serial
    private Object readResolve() {
        // The live rollout is a copy of what was saved, so that the saved one stays unchanged until replaced.
        rollout = Snapshots.copy(saved);
        schedule = new TickSchedule();
        return this;
    }

    /** Schedules the next tick after {@code delayMillis}, sooner when woken meanwhile ({@link TickSchedule}). */
    private void scheduleTick(Host host, long delayMillis) {
        schedule.tick(host, delayMillis, number -> tickUnit(host, number));
    }

    /**
     * Something the rollout reads from the shared caches changed: the next tick comes now rather than when it was
     * due. Called on a shared callback thread, so it only reschedules and never waits for a running unit.
     */
    private void wake(Host host) {
        if (stopped || ended) {
            return;
        }
        schedule.wake(host, number -> tickUnit(host, number));
    }

    private Clock clock() {
        if (clock == null) {
            clock = Clock.systemUTC();
        }
        return clock;
    }

    private synchronized java.util.concurrent.atomic.AtomicInteger busyCount() {
        if (busy == null) {
            busy = new java.util.concurrent.atomic.AtomicInteger();
        }
        return busy;
    }

    /** For tests: the clock units read. */
    public RolloutDriver withClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** The rollout, once started. */
    public Rollout rollout() {
        return rollout;
    }

    /** True while a unit runs that may change the cluster (start, a tick, a decision, a stop). */
    public boolean busy() {
        java.util.concurrent.atomic.AtomicInteger b = busy;
        return b != null && b.get() > 0;
    }

    public void start(Host host, Starter starter) {
        schedule.starting(host.scheduleApply(() -> startUnit(host, starter)));
    }

    /**
     * After a restart: carries on ticking, or fails clearly when the restart came before the first unit had saved
     * its result. Nothing is repeated: the start may have applied, and applying again is the user's call.
     */
    public void resume(Host host) {
        if (rollout == null) {
            ended = true;
            host.failed(null, new DeployException("Jenkins restarted before the rollout had started, or before its"
                    + " start was saved; nothing is repeated after a restart. Look at the workload"
                    + " (k8spd status, or kubectl rollout status) and run the build again: starting is repeatable."));
            return;
        }
        if (shownApproval != null) {
            host.approvalChanged(rollout.pendingApproval());
        }
        scheduleTick(host, 0);
    }

    /** Hands a person's decision to the rollout, in a unit of its own; the next tick acts on it. */
    public void decide(Host host, Approval.Decision decision) {
        host.schedule(() -> {
            synchronized (this) {
                if (stopped || rollout == null) {
                    return;
                }
                busyCount().incrementAndGet();
                try {
                    rollout.decide(decision, clock(), host.log());
                    showApproval(host);
                    save(host);
                    wake(host); // the next tick acts on it now
                } catch (Exception e) {
                    LOGGER.log(java.util.logging.Level.WARNING, "could not hand a decision to the rollout", e);
                } finally {
                    busyCount().decrementAndGet();
                }
            }
        }, 0);
    }

    private void showApproval(Host host) {
        java.util.Optional<Approval> pending = rollout.pendingApproval();
        String id = pending.map(Approval::id).orElse(null);
        if (!java.util.Objects.equals(id, shownApproval)) {
            shownApproval = id;
            host.approvalChanged(pending);
            save(host); // a restart must show, and accept decisions for, the same wait
        }
    }

    /** Replaces the saved copy with one of the live rollout, then asks the host to write it out. */
    private void save(Host host) {
        saved = Snapshots.copy(rollout);
        host.saveState();
    }

    /** One line for the build's status. */
    public String status() {
        Rollout r = rollout;
        return r == null ? "starting" : r.status();
    }

    /**
     * Stops the rollout without blocking the caller (Pipeline calls this on its own thread, under a timeout): the
     * running unit is left to end, then a stop unit aborts or switches back as asked, records it, and ends the step.
     * A second stop while the first is under way does nothing.
     */
    public void stop(Host host, Throwable cause) {
        if (stopped || ended) {
            return;
        }
        stopped = true;
        schedule.cancel();
        try {
            host.schedule(() -> stopUnit(host, cause), 0);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            host.failed(null, cause);
        }
    }

    private void stopUnit(Host host, Throwable cause) {
        synchronized (this) {
            if (ended) {
                return;
            }
            busyCount().incrementAndGet();
            try {
                if (rollout != null) {
                    Consumer<String> log = host.log();
                    rollout.stop("the build was stopped", rollBackOnStop, client(host), clock(), log);
                    save(host);
                }
            } catch (Exception e) {
                cause.addSuppressed(e);
            } finally {
                close();
                busyCount().decrementAndGet();
                ended = true;
                host.failed(rollout == null ? null : rollout.record(clock()), cause);
            }
        }
    }

    private void startUnit(Host host, Starter starter) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            busyCount().incrementAndGet();
            try {
                rollout = starter.start(host.connection(), host.log());
                savedStatus = rollout.status();
                save(host);
                scheduleTick(host, 0);
            } catch (Throwable t) {
                close();
                if (!stopped && !host.shuttingDown()) {
                    ended = true;
                    host.failed(null, t);
                }
            } finally {
                busyCount().decrementAndGet();
            }
        }
    }

    private void tickUnit(Host host, long number) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (!schedule.claim(number)) {
                return; // replaced by a sooner tick
            }
            busyCount().incrementAndGet();
            try {
                Rollout.Tick tick = rollout.tick(client(host), clock(), host.log());
                outage().succeeded(clock().instant(), host.log());
                showApproval(host);
                if (tick.finished()) {
                    DeployRecord record = rollout.record(clock());
                    save(host);
                    close();
                    ended = true;
                    if (record.succeeded()) { // a dry run of a rolling deploy succeeds too
                        host.succeeded(record);
                    } else {
                        host.failed(record, new DeployException(record.failure() == null ? "The rollout ended "
                                + record.outcome() + "." : record.failure()));
                    }
                    return;
                }
                String status = rollout.status();
                if (!status.equals(savedStatus)) {
                    savedStatus = status;
                    save(host);
                }
                scheduleTick(host, Math.max(0, tick.next().toMillis()));
            } catch (Throwable t) {
                if (stopped || host.shuttingDown()) {
                    close();
                    return;
                }
                Throwable reported = t;
                try {
                    Duration tolerance = rollout.outageTolerance(); // null: a failed tick is not tried again
                    Duration retry = tolerance == null ? null
                            : outage().failed(t, clock().instant(), tolerance, host.log());
                    if (retry != null) {
                        scheduleTick(host, retry.toMillis());
                        return;
                    }
                    if (outage().ongoing()) {
                        reported = outage().giveUp(rollout, client(host), clock(), host.log(), t);
                        save(host);
                    }
                } catch (Exception e) {
                    t.addSuppressed(e);
                }
                close();
                ended = true;
                host.failed(rollout.record(clock()), reported);
            } finally {
                busyCount().decrementAndGet();
            }
        }
    }

    private Outage outage() {
        if (outage == null) {
            outage = new Outage();
        }
        return outage;
    }

    private KubeCluster client(Host host) throws Exception {
        if (client == null) {
            client = KubeCluster.connect(host.connection());
            client.readFromCaches(() -> wake(host));
        }
        return client;
    }

    private void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
