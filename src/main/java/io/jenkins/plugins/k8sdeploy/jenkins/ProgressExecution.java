package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RollingRollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RolloutDriver;
import java.io.Serial;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A rolling deploy or a rollback (k8sDeploy with the default strategy, k8sRollback), driven like the other strategies
 * by the engine's {@link RolloutDriver} as a {@link RollingRollout#plain} rollout: {@link #begin} runs once on the
 * plugin's own threads ({@link Units}: load, validate, apply, or issue a rollback), then a check every
 * {@link RollingRollout#CHECK} (sooner when a watched object changes) lets the engine decide. This class only keeps
 * what the step showed and said before the rollout existed: its status while applying, and the failure after a
 * restart that came before the apply was saved.
 */
abstract class ProgressExecution extends RolloutExecution {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Stopped before the apply returned: the status says so. */
    private transient volatile boolean stopping;
    /** Failed after a restart that came before the apply was saved: a stop then has nothing to do. */
    private transient volatile boolean ended;

    /*
     * What an execution saved before rolling deploys went through the driver: filled only when one is read back
     * after an upgrade of the plugin, turned into a driver by readResolve, then dropped.
     */
    private ClusterSettings cluster;
    private boolean rollbackOnStop;
    private DeployProgress saved;

    ProgressExecution(StepContext context, ClusterTarget target, boolean rollbackOnStop) {
        super(context, target, rollbackOnStop);
    }

    /** Protected, not private: Java serialization calls it for the subclasses (the steps' executions) too. */
    @Serial
    protected Object readResolve() {
        if (driver() == null) {
            adopt(cluster, RolloutDriver.resuming(rollbackOnStop, saved == null ? null : RollingRollout.plain(saved)));
            cluster = null;
            saved = null;
        }
        return this;
    }

    /** The short first unit: returns what to wait for. */
    protected abstract DeployProgress begin(ClusterConnection connection, Consumer<String> log) throws Exception;

    @Override
    protected final Rollout start(ClusterConnection connection, Consumer<String> log) throws Exception {
        return RollingRollout.plain(begin(connection, log));
    }

    /**
     * After a restart: the checks carry on from the saved progress and the cluster's state. When the restart came
     * before the first unit's result was saved, nothing is repeated (a second apply of changed files, or a second
     * {@code rollout undo}, which would flip back to the bad revision): the step fails and says what to look at.
     */
    @Override
    public void onResume() {
        if (driver().rollout() == null) {
            ended = true;
            getContext().onFailure(new AbortException("Jenkins restarted while this step was changing the cluster,"
                    + " before it had saved what it did; nothing is repeated after a restart. Look at the workload"
                    + " (k8spd status, or kubectl rollout status) and run the build again."));
            return;
        }
        super.onResume();
    }

    @Override
    public String getStatus() {
        if (driver().rollout() == null) {
            return stopping ? "stopping" : "applying manifests";
        }
        return super.getStatus();
    }

    @Override
    public void stop(@NonNull Throwable cause) {
        if (ended) {
            return;
        }
        stopping = true;
        super.stop(cause);
    }
}
