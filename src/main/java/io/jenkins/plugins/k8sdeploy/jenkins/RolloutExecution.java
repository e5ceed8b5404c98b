package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.console.HyperlinkNote;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RolloutDriver;
import java.io.Serial;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;
import org.springframework.security.core.Authentication;

/**
 * A step execution that runs a {@link Rollout} (canary, blue-green, gated, or rolling through
 * {@link ProgressExecution}) without holding a thread: the engine's
 * {@link RolloutDriver} does the work in short units on the plugin's own threads ({@link Units}), and this class only connects it to the
 * step context (log, saved state, outcome). Only the driver (plain data) and the cluster settings (no secret) are
 * kept; credentials are looked up for the run in each unit.
 */
abstract class RolloutExecution extends StepExecution implements RolloutDriver.Host {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Not final: {@link #adopt} sets it for an execution saved by an earlier version. */
    private ClusterSettings cluster;
    private RolloutDriver driver;
    /** Who may decide this rollout's approvals (user ids or groups, commas between); null for whoever may build. */
    private String approvers;
    /** The approval wait shown on the build page, to close it when it ends. */
    private Approval shownApproval;
    /** Who the units run as: the authentication the step started (or resumed) with. */
    private transient Authentication auth;
    /** Where the units run: the pool of the Jenkins that started (or resumed) the step. */
    private transient Units.Pool units;

    RolloutExecution(StepContext context, ClusterTarget target, boolean rollBackOnStop) {
        super(context);
        this.cluster = ClusterSettings.of(target);
        this.driver = new RolloutDriver(rollBackOnStop);
    }

    /** For an execution saved by an earlier version of the plugin, read back without these: what it saved. */
    protected final void adopt(ClusterSettings cluster, RolloutDriver driver) {
        this.cluster = cluster;
        this.driver = driver;
    }

    /** The engine's driver of this step's rollout. */
    protected final RolloutDriver driver() {
        return driver;
    }

    /** The short first unit: apply, or read what is running, and return the rollout to drive. */
    protected abstract Rollout start(ClusterConnection connection, Consumer<String> log) throws Exception;

    /** Who drives, written on the Deployment: "jenkins: folder/job#12". */
    protected String driverName() throws Exception {
        return "jenkins: " + getContext().get(Run.class).getExternalizableId();
    }

    @Override
    public boolean start() {
        auth = Jenkins.getAuthentication2();
        units = Units.current();
        driver.start(this, this::start);
        return false;
    }

    /**
     * After a restart, before the rollout carries on: give it back what its serialized state cannot hold (a canary's
     * analysis providers and their credentials). Must not throw: failures become the rollout's own.
     */
    protected void reattach(Rollout rollout) {}

    @Override
    public void onResume() {
        auth = Jenkins.getAuthentication2();
        units = Units.current();
        Rollout r = driver.rollout();
        if (r != null) {
            reattach(r);
        }
        driver.resume(this);
    }

    @Override
    public String getStatus() {
        return driver.status();
    }

    /** Returns at once; the rollout's stop runs in a unit of its own, which ends the step. */
    @Override
    public void stop(@NonNull Throwable cause) {
        driver.stop(this, cause);
    }

    /** A safe restart waits while a unit that may change the cluster runs; a wait (a pause, a gate) does not block. */
    @Override
    public boolean blocksRestart() {
        return driver.busy();
    }

    @Override
    public boolean shuttingDown() {
        return Units.closing();
    }

    @Override
    public ClusterConnection connection() throws Exception {
        return ClusterCredentials.resolve(cluster, getContext().get(Run.class));
    }

    @Override
    public Consumer<String> log() throws Exception {
        return getContext().get(TaskListener.class).getLogger()::println;
    }

    @Override
    public Future<?> schedule(Runnable unit, long delayMillis) {
        return units().schedule(auth, unit, delayMillis);
    }

    @Override
    public Future<?> scheduleApply(Runnable unit) {
        return units().scheduleApply(auth, unit);
    }

    private Units.Pool units() {
        Units.Pool u = units;
        return u != null ? u : Units.current();
    }

    /** Who may decide the approvals (from the step's {@code approval: [submitter: ...]}). */
    protected void approvers(String submitter) {
        this.approvers = submitter;
    }

    /**
     * A wait for a person started, is shown again after a restart, or ended: the build page's {@link ApprovalsAction}
     * and the log say so. Decisions come back through the action to {@link RolloutDriver#decide}.
     */
    @Override
    public void approvalChanged(Optional<Approval> pending) {
        try {
            Run<?, ?> run = getContext().get(Run.class);
            Consumer<String> log = log();
            if (pending.isPresent()) {
                Approval a = pending.get();
                shownApproval = a;
                ApprovalsAction.waiting(run, a, approvers, driver.status(), d -> driver.decide(this, d));
                markPaused(true);
                String page = "/" + run.getUrl();
                log.accept(a.message() + " " + HyperlinkNote.encodeTo(page, "Proceed") + " or "
                        + HyperlinkNote.encodeTo(page, "Abort") + " on the build page"
                        + (approvers == null ? "" : " (" + approvers + ")")
                        + (a.deadline() == null ? "." : " (deadline " + a.deadline() + ")."));
            } else if (shownApproval != null) {
                ApprovalsAction.ended(run, shownApproval);
                markPaused(false);
                log.accept("No longer waiting for approval: " + shownApproval.message());
                shownApproval = null;
            }
        } catch (Exception e) {
            java.util.logging.Logger.getLogger(RolloutExecution.class.getName()).log(java.util.logging.Level.WARNING,
                    "Cannot show an approval on the build page", e);
        }
    }

    @Override
    public void saveState() {
        getContext().saveState();
    }

    @Override
    public void succeeded(DeployRecord record) {
        closeShownApproval();
        RolloutsAction.record(getContext(), record);
        getContext().onSuccess(RecordJson.toMap(record));
    }

    @Override
    public void failed(DeployRecord record, Throwable cause) {
        closeShownApproval();
        RolloutsAction.record(getContext(), record);
        getContext().onFailure(cause instanceof DeployException e ? new AbortException(e.getMessage()) : cause);
    }

    /** However the step ends (stopped, failed), a gate still shown on the build page is closed: no live buttons. */
    private void closeShownApproval() {
        if (shownApproval == null) {
            return;
        }
        try {
            ApprovalsAction.ended(getContext().get(Run.class), shownApproval);
            markPaused(false);
        } catch (Exception e) {
            java.util.logging.Logger.getLogger(RolloutExecution.class.getName()).log(java.util.logging.Level.WARNING,
                    "Cannot close an approval on the build page", e);
        }
        shownApproval = null;
    }

    /**
     * Marks the step's flow node paused while a person's decision is awaited, and ends the pause after, as the input
     * step does: Stage View and Pipeline Graph View then show the build as waiting for input.
     */
    private void markPaused(boolean paused) throws Exception {
        FlowNode node = getContext().get(FlowNode.class);
        if (node == null) {
            return;
        }
        if (paused && !PauseAction.isPaused(node)) {
            node.addAction(new PauseAction("Approval"));
        } else if (!paused && PauseAction.isPaused(node)) {
            PauseAction.endCurrentPause(node);
        }
    }
}
