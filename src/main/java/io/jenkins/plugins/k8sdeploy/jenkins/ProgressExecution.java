package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWatches;
import java.io.Serial;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A step execution that holds no thread while it waits: {@link #begin} runs once on a timer thread (load, validate,
 * apply, or issue a rollback), then a check every {@link #CHECK_MILLIS} looks at the workloads through watches and lets
 * the engine decide. Between units only {@link DeployProgress} (plain data) and the cluster settings (no secret) are
 * kept; the state is saved after each phase change, and after a restart the checks resume from the cluster's state
 * with credentials looked up again for the run.
 */
abstract class ProgressExecution extends StepExecution {
    @Serial
    private static final long serialVersionUID = 1L;
    static final long CHECK_MILLIS = 2000;

    private final ClusterSettings cluster;
    private final boolean rollbackOnStop;
    /** Written in units, under this object's lock; read without it for the status line and after a restart. */
    private volatile DeployProgress progress;

    private transient volatile Future<?> task;
    private transient KubeCluster client;
    private transient RolloutWatches watches;
    private transient volatile boolean stopped;

    ProgressExecution(StepContext context, ClusterTarget target, boolean rollbackOnStop) {
        super(context);
        this.cluster = ClusterSettings.of(target);
        this.rollbackOnStop = rollbackOnStop;
    }

    /** The short first unit: returns what to wait for. */
    protected abstract DeployProgress begin(ClusterConnection connection, Consumer<String> log) throws Exception;

    @Override
    public boolean start() {
        task = Timer.get().submit(this::beginUnit);
        return false;
    }

    @Override
    public void onResume() {
        task = progress == null ? Timer.get().submit(this::beginUnit) : schedule(0);
    }

    @Override
    public String getStatus() {
        DeployProgress p = progress;
        if (p == null) {
            return "applying manifests";
        }
        return p.waiting() ? p.phase().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": waiting for " + p.waitingFor()
                : p.phase().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        stopped = true;
        Future<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        synchronized (this) {
            try {
                if (rollbackOnStop && progress != null && progress.phase() == DeployProgress.Phase.ROLLING_OUT) {
                    log().accept("The build was stopped during the rollout; rolling back.");
                    progress.abort("the build was stopped", Clock.systemUTC(), log());
                    new DeployEngine().rollBack(progress, client(), log());
                    getContext().saveState();
                }
            } finally {
                close();
                getContext().onFailure(cause);
            }
        }
    }

    private void beginUnit() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            try {
                progress = begin(connection(), log());
                getContext().saveState();
                task = schedule(0);
            } catch (Throwable t) {
                fail(t);
            }
        }
    }

    private void checkUnit() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            try {
                if (!progress.waiting()) {
                    finish();
                    return;
                }
                if (watches == null) {
                    watches = RolloutWatches.start(client(), progress.toWatch());
                }
                switch (progress.observe(watches.evaluate(), Clock.systemUTC(), log())) {
                    case KEEP_WAITING -> task = schedule(CHECK_MILLIS);
                    case ROLL_BACK -> {
                        closeWatches();
                        new DeployEngine().rollBack(progress, client(), log());
                        getContext().saveState();
                        task = schedule(0);
                    }
                    case FINISHED -> finish();
                }
            } catch (Throwable t) {
                fail(t);
            }
        }
    }

    private void finish() throws Exception {
        DeployRecord record = new DeployEngine().finish(progress, client(), log());
        getContext().saveState();
        close();
        RolloutsAction.record(getContext(), record);
        if (record.succeeded()) {
            getContext().onSuccess(RecordJson.toMap(record));
        } else {
            getContext().onFailure(new AbortException(record.failure()));
        }
    }

    private void fail(Throwable t) {
        close();
        if (t instanceof DeployException e) {
            getContext().onFailure(new AbortException(e.getMessage()));
        } else {
            getContext().onFailure(t);
        }
    }

    private Future<?> schedule(long delayMillis) {
        return Timer.get().schedule(this::checkUnit, delayMillis, TimeUnit.MILLISECONDS);
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
