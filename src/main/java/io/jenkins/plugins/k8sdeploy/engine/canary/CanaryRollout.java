package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.AnalysisStep;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import io.jenkins.plugins.k8sdeploy.engine.strategy.ApprovalGate;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import java.io.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A canary in progress: the stable Deployment keeps serving while a canary Deployment ({@code <app>-canary}) runs the
 * new version beside it, and the plan's steps move traffic to it, pause, wait for approval or analysis, and end in full
 * promotion or an abort. See {@link CanaryEngine} for how one starts.
 *
 * <p>Each {@link #tick} re-reads the stable Deployment first: a command written from outside ({@link CanaryState#COMMAND})
 * is taken at once, a newer revision started by another deploy ends this one (it was superseded), and a driver that
 * took over ends this one too.
 *
 * <p>Each tick is observe, decide, act: {@link CanaryObservation} reads what the phase needs into plain values,
 * {@link CanaryDecider} (pure) turns it, this state and the time into a {@link CanaryDecision}, and
 * {@link CanaryActions} carries it out, the only code that writes to the cluster or to this state; an action that
 * changed the state without waiting (a step began, a command was taken) lets the tick decide again. The fields below
 * are the state Pipeline saves between units: their names and types are the serialized form, so they stay as they
 * are.
 *
 * <p>Weights: without a router the Service selects both versions' pods and the weight is the share of pods
 * ({@link ReplicaMath}); with a router the stable stays at full size and the router object holds the weights, read
 * back after every change.
 */
public final class CanaryRollout implements Rollout {
    @Serial
    private static final long serialVersionUID = 1L;
    /** A tick decides again after an action that changed the state; never more often than this. */
    private static final int MOST_DECISIONS = 16;

    /** Where the rollout stands; within {@link #STEPS}, {@link CanaryRollout#step} says which step. */
    enum Phase {
        STEPS,
        PROMOTING,
        ABORTING,
        DONE
    }

    final String server;
    final String namespace;
    final String app;
    final String canaryName;
    final String driver;
    final String revision;
    final CanaryPlan plan;
    final RouterSpec router;
    final CanaryServices services;
    boolean canaryServiceOurs;
    final Duration timeout;
    final boolean abortOnFailure;
    final int total;
    final boolean hpa;
    final int maxSurge;
    final int maxUnavailable;
    final List<String> fromImages;
    final List<String> toImages;
    final Instant started;

    Phase phase = Phase.STEPS;
    int step;
    int weight;
    Instant stepDeadline;
    Instant pauseUntil;
    boolean awaiting;
    Instant approvalSince;
    String approvalMessage;
    Approval.Policy approvalPolicy = Approval.Policy.DEFAULT;
    /** Who alone may decide approvals, through {@link #decide}; null when a command on the Deployment may too. */
    String approvalsOnlyBy;
    boolean promoteApplied;
    boolean canaryDrained;
    boolean abortIssued;
    boolean requestedAbort;
    AnalysisPort.Run analysisRun;
    Instant lastHeartbeat;
    /**
     * Per Deployment, the generation our last change of its replicas produced: its status is caught up once the
     * controller has seen that one. Not the current generation, which every annotation we write raises (the API
     * server counts annotation changes of a Deployment as new generations), so that waiting for it would mean
     * waiting for the controller to go over each of our state notes. Null in state saved before it existed.
     */
    Map<String, Long> scaledGeneration = new HashMap<>();
    String failure;
    /** The {@link DeployRecord.Outcome}'s name once ended: saved as a String, as before it was an enum. */
    String outcome;
    Instant finishedAt;
    long apiRequests;
    final List<StrategyEvent> events = new ArrayList<>();
    final List<TimelineEntry> timeline = new ArrayList<>();
    final List<ObjectChange> changes = new ArrayList<>();
    /** Finished analyses, in order; the running one is {@link #analysisRun}. */
    final List<AnalysisRecord> analyses = new ArrayList<>();

    transient AnalysisPort analysis;

    CanaryRollout(String server, String namespace, String app, String driver, String revision, CanaryPlan plan,
            RouterSpec router, CanaryServices services, boolean canaryServiceOurs, Duration timeout,
            boolean abortOnFailure, int total, boolean hpa, int maxSurge, int maxUnavailable, List<String> fromImages,
            List<String> toImages, Instant started) {
        this.server = server;
        this.namespace = namespace;
        this.app = app;
        this.canaryName = canaryName(app);
        this.driver = driver;
        this.revision = revision;
        this.plan = plan;
        this.router = router;
        this.services = services;
        this.canaryServiceOurs = canaryServiceOurs;
        this.timeout = timeout;
        this.abortOnFailure = abortOnFailure;
        this.total = total;
        this.hpa = hpa;
        this.maxSurge = maxSurge;
        this.maxUnavailable = maxUnavailable;
        this.fromImages = List.copyOf(fromImages);
        this.toImages = List.copyOf(toImages);
        this.started = started;
    }

    public static String canaryName(String app) {
        return app + "-canary";
    }

    /** The analyses {@code analysis NAME} steps use; set again after the state was read back from disk. */
    public CanaryRollout withAnalysis(AnalysisPort analysis) {
        this.analysis = analysis;
        analysisRun = AnalysisStep.resume(analysis, analysisRun);
        return this;
    }

    /** The weight the canary has now. */
    public int weight() {
        return weight;
    }

    @Override
    public Tick tick(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        long before = cluster.requestCount();
        try {
            return phase == Phase.DONE ? Tick.FINISHED : observeDecideAct(cluster, clock, log);
        } finally {
            apiRequests += cluster.requestCount() - before;
        }
    }

    /**
     * Reads what is needed, decides, acts; decides again while an action changed the state without waiting, so that
     * a command taken and the step it leads to happen in one tick.
     */
    private Tick observeDecideAct(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        Instant now = clock.instant();
        CanaryActions act = new CanaryActions(this, cluster, clock, log);
        CanaryObservation seen = CanaryObservation.read(cluster, this);
        for (int i = 0; i < MOST_DECISIONS; i++) {
            Phase before = phase;
            CanaryActions.After after = act.apply(CanaryDecider.decide(seen, this, now), seen);
            if (after.tick() != null) {
                return after.tick();
            }
            if (after.observe()) {
                seen = seen.again(phase == before ? null : cluster, this);
            }
        }
        return Tick.again(Duration.ZERO);
    }

    /**
     * Approvals decided only through {@link #decide} (the Jenkins build page, by its submitters): a promotion
     * written on the Deployment (k8spd canary promote, kubectl annotate) no longer passes an approval, and is refused
     * with {@link CanaryState#REFUSED} saying so. Pauses can still be promoted past, and anyone may still abort.
     *
     * @param who who may decide, for the message ("alice, release-managers")
     */
    public CanaryRollout approvalsDecidedOnlyBy(String who) {
        this.approvalsOnlyBy = who;
        return this;
    }

    /** How approvals are asked for (message, timeout); kept in the state. */
    public CanaryRollout withApprovalPolicy(Approval.Policy policy) {
        this.approvalPolicy = policy == null ? Approval.Policy.DEFAULT : policy;
        return this;
    }

    @Override
    public Optional<Approval> pendingApproval() {
        if (phase != Phase.STEPS || !awaiting) {
            return Optional.empty();
        }
        return Optional.of(new Approval(approvalId(), approvalMessage, approvalSince, approvalDeadline()));
    }

    String approvalId() {
        return revision + "-" + step;
    }

    Instant approvalDeadline() {
        return ApprovalGate.deadline(approvalPolicy, approvalSince);
    }

    @Override
    public void decide(Approval.Decision d, Clock clock, Consumer<String> log) {
        new CanaryActions(this, null, clock, log).decided(CanaryDecider.approval(this, d));
    }

    @Override
    public void stop(String reason, boolean rollBack, KubeCluster cluster, Clock clock, Consumer<String> log)
            throws DeployException {
        if (phase != Phase.DONE) {
            new CanaryActions(this, cluster, clock, log).stop(reason, rollBack);
        }
    }

    @Override
    public Duration outageTolerance() {
        return timeout;
    }

    @Override
    public String afterOutage() {
        return "k8spd canary abort " + app + " -n " + namespace + " (or canary status to see where it stands)";
    }

    @Override
    public String status() {
        String where = "canary " + app + " at " + weight + "%";
        return switch (phase) {
            case STEPS -> step < plan.steps().size()
                    ? where + ": " + (awaiting ? "waiting for approval" : plan.steps().get(step).toString())
                    : where;
            case PROMOTING -> where + ": promoting";
            case ABORTING -> where + ": aborting";
            case DONE -> where + ": " + (outcome == null ? "done" : outcome.toLowerCase(java.util.Locale.ROOT));
        };
    }

    @Override
    public DeployRecord record(Clock clock) {
        Instant end = finishedAt != null ? finishedAt : clock.instant();
        DeployRecord.Outcome outcome = this.outcome == null ? null : DeployRecord.Outcome.valueOf(this.outcome);
        String status = DeployRecord.Outcome.SUCCEEDED.equals(outcome) ? "DONE"
                : outcome == null ? "PROGRESSING" : "FAILED";
        var workload = new DeployRecord.WorkloadResult("Deployment", app, namespace, 0, 0, fromImages, toImages,
                status, failure == null ? "canary at " + weight + "%" : failure);
        return new DeployRecord(server, outcome == null ? DeployRecord.Outcome.FAILED : outcome, started, end,
                Duration.between(started, end).toMillis(), apiRequests, List.copyOf(changes), List.of(workload),
                outcome != null && outcome.equals(DeployRecord.Outcome.ABORTED) ? List.of(failure) : List.of(),
                List.copyOf(timeline), DeployRecord.Outcome.SUCCEEDED.equals(outcome) ? null : failure,
                DeployRecord.Strategy.CANARY, app, List.copyOf(events), AnalysisStep.all(analyses, analysisRun));
    }


    /** Moves the running analysis's record (if any) to the finished ones. */
    void keepAnalysis() {
        analysisRun = AnalysisStep.keep(analysisRun, analyses);
    }

    /** On to the plan's next step: what the step waited for (pause, approval, analysis) is over. */
    void nextStep() {
        keepAnalysis();
        step++;
        stepDeadline = null;
        pauseUntil = null;
        awaiting = false;
        approvalSince = null;
        approvalMessage = null;
        analysisRun = null;
    }

    void event(Clock clock, Consumer<String> log, StrategyEvent.Type type, Integer w, String detail) {
        event(log, new StrategyEvent(clock.instant(), type, w, detail));
    }

    /** Records the event, a timeline line at the same time with its detail, and logs the detail. */
    void event(Consumer<String> log, StrategyEvent e) {
        events.add(e);
        timeline.add(new TimelineEntry(e.at(), e.detail()));
        log.accept(e.detail());
    }

    void log(Clock clock, Consumer<String> log, String line) {
        timeline.add(new TimelineEntry(clock.instant(), line));
        log.accept(line);
    }

    static int replicas(Deployment d) {
        return d == null ? 0 : Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    }

    static int available(Deployment d) {
        return d == null || d.getStatus() == null ? 0
                : Objects.requireNonNullElse(d.getStatus().getAvailableReplicas(), 0);
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }
}
