package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import io.jenkins.plugins.k8sdeploy.engine.strategy.ApprovalGate;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A blue-green deploy or switch in progress: wait until the colour to serve is fully available, switch the active
 * Service's selector to it (one merge patch), check that the Service's EndpointSlices list only that colour's pods,
 * and mark the colour left for scale-down after the delay. Every tick re-reads the cluster: the active colour is what
 * the active Service selects, the scale-down time is an annotation.
 *
 * <p>With a post-switch analysis, the colour left keeps its pods (no scale-down time) while the analysis of the new
 * colour against it runs; passed, the scale-down is scheduled as without one; failed or unable to measure, the active
 * Service is switched back in the same tick; inconclusive, a person decides ({@link #pendingApproval()}).
 *
 * <p>Each tick observes ({@link BlueGreenObservation}: only what the phase needs), decides ({@link BlueGreenDecider}:
 * pure, a {@link BlueGreenDecision}) and acts ({@link BlueGreenActions}: the only writes). This class holds the
 * {@link BlueGreenState} and is what a Jenkins step saves between ticks, in the form the state documents.
 */
public final class BlueGreenRollout implements Rollout {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Saved under the names the fields had before the state moved to {@link BlueGreenState}. */
    @Serial
    private static final ObjectStreamField[] serialPersistentFields = BlueGreenState.SAVED;

    /** What was asked for. */
    public enum Operation {
        /** A new template into the colour not active (the first deploy: blue), then switch or stop at preview. */
        DEPLOY,
        /** Switch to the preview colour, which has never served. */
        SWITCH,
        /** Switch to the colour that served before, scaling it up first if it was scaled down. */
        SWITCH_BACK
    }

    /** Where it stands. */
    public enum Phase {
        WAIT_AVAILABLE,
        SWITCH,
        VERIFY,
        /** Switched and verified; the post-switch analysis runs (or waits for a person); the old colour is kept. */
        ANALYSIS,
        /** The analysis failed: switched back, checking that the active Service's endpoints are the old colour's. */
        VERIFY_BACK,
        WAIT_SCALE_DOWN,
        SUCCEEDED,
        FAILED
    }

    private final BlueGreenState state;
    /** Read back by {@link #readObject}, made the state of a new instance by {@link #readResolve}. */
    private transient BlueGreenState restored;

    BlueGreenRollout(Operation operation, BlueGreenTarget target, String server, Instant started, String from,
            String to, boolean switchWhenAvailable, Duration scaleDownDelay, Duration timeout,
            boolean waitForScaleDown, boolean plainDeploymentExists, WorkloadState before) {
        this(new BlueGreenState(new BlueGreenPlan(operation, target, server, started, from, to, switchWhenAvailable,
                scaleDownDelay, timeout, waitForScaleDown, plainDeploymentExists, before)));
    }

    private BlueGreenRollout(BlueGreenState state) {
        this.state = state;
    }

    /** Starts waiting for {@link #to} to be available, until now + timeout. */
    void waitForAvailability(Instant now) {
        state.phase = Phase.WAIT_AVAILABLE;
        state.deadline = now.plus(state.plan.timeout());
    }

    /** After a verified switch to a new colour, run the named analysis before the old colour may be scaled down. */
    void analyseAfterSwitch(String name) {
        state.analysis.name = name == null || name.isBlank() ? null : name;
    }

    /** The analysis named by the request ({@code null}: none). */
    public String analysisName() {
        return state.analysis.name;
    }

    /** The analyses the post-switch analysis is looked up in; set again after the state was read back from disk. */
    public BlueGreenRollout withAnalysis(AnalysisPort analysis) {
        state.analysis.attach(analysis);
        return this;
    }

    /** Switches at the next tick. */
    void switchNext() {
        state.phase = Phase.SWITCH;
    }

    public Operation operation() {
        return state.plan.operation();
    }

    public Phase phase() {
        return state.phase;
    }

    public BlueGreenTarget target() {
        return state.plan.target();
    }

    /** The colour active before this began ({@code null} on a first deploy). */
    public String from() {
        return state.plan.from();
    }

    /** The colour this makes (or made) active. */
    public String to() {
        return state.plan.to();
    }

    /** How long the one selector change of the active Service took (the PATCH request), once it was made. */
    public Optional<Duration> switchLatency() {
        return state.switchNanos == null ? Optional.empty() : Optional.of(Duration.ofNanos(state.switchNanos));
    }

    public boolean finished() {
        return state.finished();
    }

    void addChange(ObjectChange change) {
        state.changes.add(change);
    }

    void addEvents(List<StrategyEvent> more) {
        state.events.addAll(more);
    }

    void event(Instant at, StrategyEvent.Type type, Integer weight, String detail) {
        state.event(at, type, weight, detail);
    }

    void countRequests(long n) {
        state.apiRequests += n;
    }

    /** A line for the log and the timeline. */
    void log(Clock clock, Consumer<String> log, String line) {
        state.note(clock.instant(), line);
        log.accept(line);
    }

    /** Observe, decide, act; again in the same tick when the act says so (the analysis right after the switch). */
    @Override
    public Tick tick(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        if (state.finished()) {
            return Tick.FINISHED;
        }
        long requests = cluster.requestCount();
        try {
            BlueGreenActions act = new BlueGreenActions(cluster, clock, log, state);
            Tick next = null;
            while (next == null) {
                BlueGreenObservation seen = BlueGreenObservation.read(cluster, state, clock.instant());
                next = act.apply(BlueGreenDecider.decide(seen, state));
            }
            return next;
        } finally {
            state.apiRequests += cluster.requestCount() - requests;
        }
    }

    static String refusal(BlueGreenTarget target, String to, String current, RolloutStatus s) {
        return BlueGreenDecider.refusal(target, to, current, s);
    }

    @Override
    public Optional<Approval> pendingApproval() {
        return state.analysis.pending(state.phase == Phase.ANALYSIS, target().app(), to());
    }

    @Override
    public void decide(Approval.Decision d, Clock clock, Consumer<String> log) {
        PostSwitchAnalysis a = state.analysis;
        if (pendingApproval().isEmpty() || !a.approvalId(target().app(), to()).equals(d.approvalId())) {
            log.accept(ApprovalGate.notWaiting(d));
            return;
        }
        String by = ApprovalGate.by(d);
        String line = d.proceed() ? "Approved" + by + "; " + to() + " stays active."
                : "Rejected" + by + "; switching back to " + from() + ".";
        Instant at = clock.instant();
        state.event(at, d.proceed() ? StrategyEvent.Type.APPROVED : StrategyEvent.Type.REJECTED,
                state.plan.weightWhenActive(to()), line);
        state.note(at, line);
        log.accept(line);
        a.answer(d.proceed(), "analysis '" + a.name + "' was inconclusive and it was rejected" + by);
    }

    @Override
    public void stop(String reason, boolean rollBack, KubeCluster cluster, Clock clock, Consumer<String> log)
            throws DeployException {
        if (finished()) {
            return;
        }
        long requests = cluster.requestCount();
        try {
            BlueGreenStop.stop(reason, rollBack, state, new BlueGreenActions(cluster, clock, log, state), cluster,
                    clock);
        } finally {
            state.apiRequests += cluster.requestCount() - requests;
        }
    }

    @Override
    public Duration outageTolerance() {
        return state.plan.timeout();
    }

    @Override
    public String afterOutage() {
        BlueGreenTarget target = target();
        return "k8spd bluegreen status " + target.app() + " -n " + target.namespace() + " to see which colour serves"
                + (from() == null ? "" : ", and k8spd bluegreen switch " + target.app() + " -n "
                        + target.namespace() + " --rollback to send traffic back to " + from());
    }

    @Override
    public String status() {
        return state.status();
    }

    @Override
    public DeployRecord record(Clock clock) {
        return state.record(clock.instant());
    }

    /** "30 s", "5 min", "1500 ms". */
    static String format(Duration d) {
        return BlueGreenDecider.format(d);
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        state.save(out.putFields());
        out.writeFields();
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        restored = BlueGreenState.restore(in.readFields());
    }

    /** A new instance, so that the state is final (other threads read its phase). */
    @Serial
    private Object readResolve() {
        return new BlueGreenRollout(restored);
    }
}
