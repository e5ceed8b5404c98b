package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.Snapshots;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWatches;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RolloutDriver;
import java.io.Serial;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.springframework.security.core.Authentication;

/**
 * A step execution that holds no thread while it waits: {@link #begin} runs once on the plugin's own threads
 * ({@link Units}: load, validate, apply, or issue a rollback), then a check every {@link #CHECK_MILLIS} looks at the
 * workloads through watches and lets the engine decide. Between units only {@link DeployProgress} (plain data) and the
 * cluster settings (no secret) are kept; a save is asked for after each phase change (what is written is a copy taken
 * then), and after a restart the checks resume from the cluster's state with credentials looked up again for the run.
 */
abstract class ProgressExecution extends StepExecution {
    @Serial
    private static final long serialVersionUID = 1L;
    static final long CHECK_MILLIS = 2000;

    private final ClusterSettings cluster;
    private final boolean rollbackOnStop;
    /** The progress the units change, under this object's lock; read without it for the status line. */
    private transient volatile DeployProgress progress;
    /**
     * What Pipeline writes out: a copy of {@link #progress} taken under the lock when a unit asks for a save, replaced
     * whole and never changed, so a save on Pipeline's thread never sees a unit's work half done.
     */
    private volatile DeployProgress saved;

    private transient volatile Future<?> task;
    private transient KubeCluster client;
    private transient RolloutWatches watches;
    /** A watched object changed since the running check read the watches: the next check comes at once. */
    private transient volatile boolean woken;
    /** Guards rescheduling on a change, which must never wait for a running unit (so not this object's lock). */
    private static final Object WAKING = new Object();
    /** The number of the check last scheduled: any other that runs (one a wake-up replaced) does nothing. */
    private transient long scheduled;
    private transient volatile boolean stopped;
    /** Set once the outcome has been handed to Pipeline: nothing is reported twice. */
    private transient volatile boolean ended;
    /** How many units that may change the cluster run now: a safe restart waits while any does. */
    private transient volatile AtomicInteger busy;
    /** Who the units run as: the authentication the step started (or resumed) with. */
    private transient Authentication auth;
    /** Where the units run: the pool of the Jenkins that started (or resumed) the step. */
    private transient Units.Pool units;

    ProgressExecution(StepContext context, ClusterTarget target, boolean rollbackOnStop) {
        super(context);
        this.cluster = ClusterSettings.of(target);
        this.rollbackOnStop = rollbackOnStop;
    }

    /** Protected, not private: Java serialization calls it for the subclasses (the steps' executions) too. */
    @Serial
    protected Object readResolve() {
        progress = Snapshots.copy(saved);
        return this;
    }

    /** The short first unit: returns what to wait for. */
    protected abstract DeployProgress begin(ClusterConnection connection, Consumer<String> log) throws Exception;

    @Override
    public boolean start() {
        auth = Jenkins.getAuthentication2();
        units = Units.current();
        task = units().scheduleApply(auth, this::beginUnit);
        return false;
    }

    /**
     * After a restart: the checks carry on from the saved progress and the cluster's state. When the restart came
     * before the first unit's result was saved, nothing is repeated (a second apply of changed files, or a second
     * {@code rollout undo}, which would flip back to the bad revision): the step fails and says what to look at.
     */
    @Override
    public void onResume() {
        auth = Jenkins.getAuthentication2();
        units = Units.current();
        if (progress == null) {
            ended = true;
            getContext().onFailure(new AbortException("Jenkins restarted while this step was changing the cluster,"
                    + " before it had saved what it did; nothing is repeated after a restart. Look at the workload"
                    + " (k8spd status, or kubectl rollout status) and run the build again."));
            return;
        }
        task = schedule(0);
    }

    @Override
    public String getStatus() {
        DeployProgress p = progress;
        if (p == null) {
            return stopped ? "stopping" : "applying manifests";
        }
        return p.waiting() ? p.phase().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": waiting for " + p.waitingFor()
                : p.phase().name().toLowerCase(Locale.ROOT);
    }

    /** A safe restart waits while a unit that may change the cluster runs; waiting for a rollout does not block. */
    @Override
    public boolean blocksRestart() {
        AtomicInteger b = busy;
        return b != null && b.get() > 0;
    }

    /**
     * Returns at once (Pipeline calls this on its own thread, under a timeout): the running unit is left to end,
     * then a stop unit issues the rollback when asked (it does not wait for it), writes the build's record of the
     * rollout, and ends the step. A second stop does nothing.
     */
    @Override
    public void stop(@NonNull Throwable cause) {
        if (stopped || ended) {
            return;
        }
        stopped = true;
        Future<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        try {
            units().schedule(auth, () -> stopUnit(cause), 0);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            ended = true;
            getContext().onFailure(cause);
        }
    }

    private void stopUnit(Throwable cause) {
        synchronized (this) {
            if (ended) {
                return;
            }
            busyCount().incrementAndGet();
            try {
                closeWatches();
                if (progress != null) {
                    if (rollbackOnStop && progress.phase() == DeployProgress.Phase.ROLLING_OUT) {
                        log().accept("The build was stopped during the rollout; rolling back.");
                        progress.abort("the build was stopped", Clock.systemUTC(), log());
                        new DeployEngine().rollBack(progress, client(), log());
                    }
                    DeployRecord record = new DeployEngine().finish(progress, client(), log());
                    save();
                    RolloutsAction.record(getContext(), record);
                }
            } catch (Exception e) {
                cause.addSuppressed(e);
            } finally {
                close();
                busyCount().decrementAndGet();
                ended = true;
                getContext().onFailure(cause);
            }
        }
    }

    private synchronized AtomicInteger busyCount() {
        if (busy == null) {
            busy = new AtomicInteger();
        }
        return busy;
    }

    private void beginUnit() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            busyCount().incrementAndGet();
            try {
                progress = begin(connection(), log());
                save();
                task = schedule(0);
            } catch (Throwable t) {
                fail(t);
            } finally {
                busyCount().decrementAndGet();
            }
        }
    }

    private void checkUnit(long number) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            synchronized (WAKING) {
                if (number != scheduled) {
                    return; // replaced by a sooner check
                }
                task = null; // running now: a change only marks that the next check comes at once
                woken = false;
            }
            busyCount().incrementAndGet();
            try {
                if (!progress.waiting()) {
                    finish();
                    return;
                }
                if (watches == null) {
                    watches = RolloutWatches.start(client(), progress.toWatch(), this::wake);
                }
                switch (progress.observe(watches.evaluate(), Clock.systemUTC(), log())) {
                    case KEEP_WAITING -> {
                        synchronized (WAKING) {
                            task = schedule(woken ? RolloutDriver.WAKE_DELAY_MS : CHECK_MILLIS);
                        }
                    }
                    case ROLL_BACK -> {
                        closeWatches();
                        new DeployEngine().rollBack(progress, client(), log());
                        save();
                        task = schedule(0);
                    }
                    case FINISHED -> finish();
                }
            } catch (Throwable t) {
                fail(t);
            } finally {
                busyCount().decrementAndGet();
            }
        }
    }

    private void finish() throws Exception {
        DeployRecord record = new DeployEngine().finish(progress, client(), log());
        save();
        close();
        ended = true;
        RolloutsAction.record(getContext(), record);
        if (record.succeeded()) {
            getContext().onSuccess(RecordJson.toMap(record));
        } else {
            getContext().onFailure(new AbortException(record.failure()));
        }
    }

    /** A unit failed: the step fails, unless the build was stopped (the stop unit ends it) or Jenkins is shutting down. */
    private void fail(Throwable t) {
        close();
        if (stopped || Units.closing()) {
            return;
        }
        ended = true;
        if (t instanceof DeployException e) {
            getContext().onFailure(new AbortException(e.getMessage()));
        } else {
            getContext().onFailure(t);
        }
    }

    /** Replaces the saved copy with one of the live progress, then asks Pipeline to write it out. */
    private void save() {
        saved = Snapshots.copy(progress);
        getContext().saveState();
    }

    private Units.Pool units() {
        Units.Pool u = units;
        return u != null ? u : Units.current();
    }

    /** A watched object changed: check now rather than when the next check was due. */
    private void wake() {
        synchronized (WAKING) {
            woken = true;
            Future<?> t = task;
            if (!stopped && !ended && t != null && t.cancel(false)) {
                try {
                    task = schedule(RolloutDriver.WAKE_DELAY_MS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // this Jenkins is shutting down: the step carries on after the restart from what was saved
                }
            }
        }
    }

    private Future<?> schedule(long delayMillis) {
        synchronized (WAKING) {
            long number = ++scheduled;
            return units().schedule(auth, () -> checkUnit(number), delayMillis);
        }
    }

    /** Credentials are looked up for the run each time a client is needed, and never kept. */
    private ClusterConnection connection() throws Exception {
        return ClusterCredentials.resolve(cluster, getContext().get(Run.class));
    }

    private KubeCluster client() throws Exception {
        if (client == null) {
            client = KubeCluster.connect(connection());
        }
        return client;
    }

    private Consumer<String> log() throws Exception {
        TaskListener listener = getContext().get(TaskListener.class);
        return listener.getLogger()::println;
    }

    private void closeWatches() {
        if (watches != null) {
            watches.close();
            watches = null;
        }
    }

    private void close() {
        closeWatches();
        if (client != null) {
            if (progress != null) {
                progress.countRequests(client.requestCount());
            }
            client.close();
            client = null;
        }
    }
}
