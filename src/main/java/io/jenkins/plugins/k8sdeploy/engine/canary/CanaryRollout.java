package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.rollout.CompletionRules;
import io.jenkins.plugins.k8sdeploy.engine.rollout.PodDiagnosis;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import io.jenkins.plugins.k8sdeploy.engine.traffic.TrafficRouter;
import io.jenkins.plugins.k8sdeploy.engine.traffic.TrafficRouters;
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
 * <p>Weights: without a router the Service selects both versions' pods and the weight is the share of pods
 * ({@link ReplicaMath}); with a router the stable stays at full size and the router object holds the weights, read
 * back after every change.
 */
public final class CanaryRollout implements Rollout {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(15);

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
    String outcome;
    Instant finishedAt;
    long apiRequests;
    final List<StrategyEvent> events = new ArrayList<>();
    final List<TimelineEntry> timeline = new ArrayList<>();
    final List<ObjectChange> changes = new ArrayList<>();
    /** Finished analyses, in order; the running one is {@link #analysisRun}. */
    final List<AnalysisRecord> analyses = new ArrayList<>();

    private transient AnalysisPort analysis;

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
        if (analysisRun != null && analysis != null) {
            analysisRun = analysis.resume(analysisRun);
        }
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
            return phase == Phase.DONE ? Tick.FINISHED : act(cluster, clock, log);
        } finally {
            apiRequests += cluster.requestCount() - before;
        }
    }

    private Tick act(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        Instant now = clock.instant();
        Deployment stable = stable(cluster);
        if (stable == null) {
            return finish(clock, log, DeployRecord.FAILED, "Deployment/" + app + " in " + namespace + " was deleted"
                    + " while its canary was in progress.");
        }
        Map<String, String> a = CanaryState.annotations(stable);
        if (!revision.equals(a.get(CanaryState.REVISION))) {
            event(clock, log, StrategyEvent.SUPERSEDED, null, "The canary of revision " + revision + " was replaced"
                    + (a.containsKey(CanaryState.REVISION) ? " by revision " + a.get(CanaryState.REVISION) : "")
                    + "; this run stops here and leaves the canary to the newer deploy.");
            return finish(clock, log, DeployRecord.FAILED, "Superseded: a newer revision of " + app + " started its own"
                    + " canary.");
        }
        if (!driver.equals(a.get(CanaryState.DRIVER)) && CanaryState.ABORTING.equals(a.get(CanaryState.PHASE))) {
            String who = a.getOrDefault(CanaryState.DRIVER, "someone else");
            event(clock, log, StrategyEvent.ABORT, weight, "Abort requested by " + who + ", which aborts the canary of "
                    + app + " itself: this run did not take the request in time.");
            return finish(clock, log, DeployRecord.ABORTED, "The canary was aborted on request (by " + who + ").");
        }
        if (!driver.equals(a.get(CanaryState.DRIVER))) {
            return finish(clock, log, DeployRecord.FAILED, "The canary of " + app + " was taken over by "
                    + a.getOrDefault(CanaryState.DRIVER, "someone else") + "; this run stops here.");
        }
        String raw = a.get(CanaryState.COMMAND);
        if (raw != null) {
            CanaryState.Command command = CanaryState.Command.parse(raw);
            boolean expired = command.expired(now);
            Map<String, String> clear = new HashMap<>();
            clear.put(CanaryState.COMMAND, null);
            String refused = expired ? null : refusal(command.word());
            if (refused != null) {
                clear.put(CanaryState.REFUSED, refused);
            }
            if (!takeOnce(cluster, stable, clear)) {
                return Tick.again(Duration.ZERO); // changed since it was read: read it again
            }
            if (expired) {
                log.accept("Ignored '" + command.word() + "' written on Deployment/" + app + " at " + command.at()
                        + ": it expired at " + command.expires() + ", when its writer stopped waiting for it.");
            } else if (refused != null) {
                log.accept(refused);
            } else {
                take(command.word(), clock, log);
            }
        }
        if (lastHeartbeat == null || !now.isBefore(lastHeartbeat.plus(HEARTBEAT_EVERY))) {
            annotate(cluster, Map.of(CanaryState.HEARTBEAT, now.toString()));
            lastHeartbeat = now;
        }
        return switch (phase) {
            case STEPS -> steps(cluster, stable, clock, log);
            case PROMOTING -> promoting(cluster, stable, clock, log);
            case ABORTING -> aborting(cluster, stable, clock, log);
            case DONE -> Tick.FINISHED;
        };
    }

    /** Why a command from outside is refused, or null: a promotion past an approval that only Jenkins decides. */
    private String refusal(String command) {
        boolean promotes = command.equals(CanaryState.PROMOTE) && awaiting
                || command.equals(CanaryState.PROMOTE_FULL) && phase == Phase.STEPS && approvalAheadOrWaiting();
        if (approvalsOnlyBy == null || !promotes) {
            return null;
        }
        return "Ignored '" + command + "' written on Deployment/" + app + ": the approval of this canary is decided"
                + " only in Jenkins (" + driver + "), by " + approvalsOnlyBy + " or an administrator.";
    }

    /** A command from outside: promote past a pause or approval, promote fully, or abort. */
    private void take(String command, Clock clock, Consumer<String> log) {
        switch (command) {
            case CanaryState.ABORT -> {
                if (phase == Phase.STEPS || phase == Phase.PROMOTING && !promoteApplied) {
                    requestedAbort = true;
                    startAbort(clock, log, "aborted on request");
                }
            }
            case CanaryState.PROMOTE_FULL -> {
                if (phase == Phase.STEPS) {
                    event(clock, log, StrategyEvent.PROMOTE, weight, "Full promotion requested; skipping the rest of"
                            + " the plan.");
                    phase = Phase.PROMOTING;
                }
            }
            case CanaryState.PROMOTE -> {
                if (phase == Phase.STEPS && (awaiting || pauseUntil != null)) {
                    event(clock, log, awaiting ? StrategyEvent.APPROVED : StrategyEvent.RESUME, weight,
                            "Promoted past '" + plan.steps().get(step) + "' on request.");
                    nextStep();
                } else if (phase == Phase.STEPS) {
                    log.accept("A promotion was requested while the canary was not paused; it carries on with its"
                            + " plan.");
                }
            }
            default -> log.accept("Ignoring unknown canary command '" + command + "'.");
        }
    }

    private Tick steps(KubeCluster cluster, Deployment stable, Clock clock, Consumer<String> log)
            throws DeployException {
        if (phase != Phase.STEPS) {
            return Tick.again(Duration.ZERO);
        }
        Instant now = clock.instant();
        Deployment canary = deployment(cluster, canaryName);
        if (canary == null) {
            return finish(clock, log, DeployRecord.FAILED, "Deployment/" + canaryName + " was deleted while the"
                    + " canary was in progress.");
        }
        Optional<PodDiagnosis.Doom> doomed = PodDiagnosis.allDoomed(canaryPods(cluster));
        if (doomed.isPresent()) {
            return failed(cluster, clock, log, "The canary cannot run: " + doomed.get().reason() + ".");
        }
        if (step >= plan.steps().size()) {
            annotate(cluster, Map.of(CanaryState.PHASE, CanaryState.PAUSED, CanaryState.MESSAGE,
                    "plan finished at " + weight + "%; promote or abort from Jenkins (canaryPromote) or k8spd canary"));
            event(clock, log, StrategyEvent.PAUSE, weight, "The plan ends here: the canary stays at " + weight + "%"
                    + " until canaryPromote (or k8spd canary promote/abort) moves it on.");
            return finish(clock, log, DeployRecord.SUCCEEDED, null);
        }
        CanaryPlan.Step s = plan.steps().get(step);
        switch (s) {
            case CanaryPlan.SetWeight w -> {
                return setWeight(cluster, stable, canary, w.weight(), clock, log);
            }
            case CanaryPlan.Pause p -> {
                if (pauseUntil == null) {
                    pauseUntil = now.plus(p.duration());
                    annotate(cluster, Map.of(CanaryState.PHASE, CanaryState.PROGRESSING, CanaryState.MESSAGE,
                            "paused until " + pauseUntil));
                    event(clock, log, StrategyEvent.PAUSE, weight, "Pausing " + format(p.duration()) + " at " + weight
                            + "%.");
                }
                if (!now.isBefore(pauseUntil)) {
                    event(clock, log, StrategyEvent.RESUME, weight, "Pause over.");
                    nextStep();
                    return Tick.again(Duration.ZERO);
                }
                Duration left = Duration.between(now, pauseUntil);
                return Tick.again(left.compareTo(Rollouts.POLL) < 0 ? left : Rollouts.POLL);
            }
            case CanaryPlan.Approval ignored -> {
                return awaitApproval(cluster, clock, log, "Promote the canary of " + app + " beyond " + weight + "%?");
            }
            case CanaryPlan.Analysis an -> {
                return analysis(cluster, an.name(), clock, log);
            }
            case CanaryPlan.Promote ignored -> {
                event(clock, log, StrategyEvent.PROMOTE, weight, "Promoting the canary fully.");
                phase = Phase.PROMOTING;
                return Tick.again(Duration.ZERO);
            }
        }
    }

    private Tick awaitApproval(KubeCluster cluster, Clock clock, Consumer<String> log, String why)
            throws DeployException {
        Instant now = clock.instant();
        if (!awaiting) {
            awaiting = true;
            approvalSince = now;
            approvalMessage = approvalPolicy.message() != null ? approvalPolicy.message() : why;
            annotate(cluster, Map.of(CanaryState.PHASE, CanaryState.AWAITING_APPROVAL, CanaryState.MESSAGE,
                    approvalMessage));
            event(clock, log, StrategyEvent.APPROVAL_WAIT, weight, approvalMessage + " Promote: k8spd canary promote "
                    + app + " -n " + namespace + " (or canaryPromote); abort: k8spd canary abort " + app + " -n "
                    + namespace + "." + (approvalPolicy.timeout() == null ? "" : " Without a decision within "
                            + format(approvalPolicy.timeout()) + " it "
                            + (approvalPolicy.proceedOnTimeout() ? "proceeds." : "is aborted.")));
        }
        Instant deadline = approvalDeadline();
        if (deadline != null && !now.isBefore(deadline)) {
            String what = "No decision within " + format(approvalPolicy.timeout());
            if (approvalPolicy.proceedOnTimeout()) {
                event(clock, log, StrategyEvent.APPROVED, weight, what + ": proceeding, as configured.");
                nextStep();
                return Tick.again(Duration.ZERO);
            }
            requestedAbort = false;
            return failed(cluster, clock, log, what + " on '" + approvalMessage + "'.");
        }
        Duration poll = Rollouts.POLL; // a command from outside is taken within a tick
        return Tick.again(deadline == null || Duration.between(now, deadline).compareTo(poll) > 0 ? poll
                : Duration.between(now, deadline));
    }

    private Instant approvalDeadline() {
        return approvalPolicy.timeout() == null || approvalSince == null ? null
                : approvalSince.plus(approvalPolicy.timeout());
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

    /** True when an approval is waiting now or is still ahead in the plan (or before promotion). */
    private boolean approvalAheadOrWaiting() {
        if (awaiting) {
            return true;
        }
        for (int i = step; i < plan.steps().size(); i++) {
            if (plan.steps().get(i) instanceof CanaryPlan.Approval) {
                return true;
            }
        }
        return false;
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

    private String approvalId() {
        return revision + "-" + step;
    }

    @Override
    public void decide(Approval.Decision d, Clock clock, Consumer<String> log) {
        if (phase != Phase.STEPS || !awaiting || !approvalId().equals(d.approvalId())) {
            log.accept("The approval " + d.approvalId() + " is no longer waiting; ignoring "
                    + (d.proceed() ? "proceed" : "abort") + " by " + d.who() + ".");
            return;
        }
        String by = " by " + d.who() + (d.comment() == null || d.comment().isBlank() ? "" : ": " + d.comment());
        if (d.proceed()) {
            event(clock, log, StrategyEvent.APPROVED, weight, "Approved" + by + ".");
            nextStep();
        } else {
            requestedAbort = true;
            event(clock, log, StrategyEvent.REJECTED, weight, "Rejected" + by + ".");
            startAbort(clock, log, "rejected" + by);
        }
    }

    private Tick analysis(KubeCluster cluster, String name, Clock clock, Consumer<String> log)
            throws DeployException {
        if (awaiting) {
            return awaitApproval(cluster, clock, log, "");
        }
        Instant now = clock.instant();
        if (analysisRun == null) {
            analysisRun = (analysis == null ? AnalysisPort.NONE : analysis).start(name, services, now);
            event(clock, log, StrategyEvent.ANALYSIS, weight, "Analysis '" + name + "' started.");
        }
        AnalysisPort.Verdict v = analysisRun.poll(now);
        return switch (v.status()) {
            case RUNNING -> Tick.again(analysisRun.next().compareTo(Rollouts.POLL) < 0 ? analysisRun.next()
                    : Rollouts.POLL); // the analysis measures when due; a command from outside is taken meanwhile
            case SUCCESSFUL -> {
                event(clock, log, StrategyEvent.ANALYSIS, weight, "Analysis '" + name + "' passed: " + v.message());
                nextStep();
                yield Tick.again(Duration.ZERO);
            }
            case INCONCLUSIVE -> {
                event(clock, log, StrategyEvent.ANALYSIS, weight, "Analysis '" + name + "' was inconclusive: "
                        + v.message());
                yield awaitApproval(cluster, clock, log, "Analysis '" + name + "' was inconclusive; a person decides.");
            }
            case FAILED, ERROR -> {
                event(clock, log, StrategyEvent.ANALYSIS, weight, "Analysis '" + name + "' "
                        + (v.status() == AnalysisPort.Status.FAILED ? "failed" : "could not measure") + ": "
                        + v.message());
                yield failed(cluster, clock, log, "Analysis '" + name + "' " + v.status().name().toLowerCase(
                        java.util.Locale.ROOT) + ": " + v.message());
            }
        };
    }

    private Tick setWeight(KubeCluster cluster, Deployment stable, Deployment canary, int target, Clock clock,
            Consumer<String> log) throws DeployException {
        Instant now = clock.instant();
        if (stepDeadline == null) {
            stepDeadline = now.plus(timeout);
            annotate(cluster, Map.of(CanaryState.PHASE, CanaryState.PROGRESSING, CanaryState.MESSAGE,
                    "moving to " + target + "%"));
            log.accept("Moving the canary of " + app + " to " + target + "%.");
        }
        int stableNow = replicas(stable);
        int canaryNow = replicas(canary);
        int stableReady = available(stable);
        int canaryReady = available(canary);
        boolean reached;
        if (router == null) {
            ReplicaMath.Split want = ReplicaMath.split(total, target);
            if (hpa) {
                want = new ReplicaMath.Split(stableNow, want.canary());
            }
            ReplicaMath.Split now2 = new ReplicaMath.Split(stableNow, canaryNow);
            ReplicaMath.Split next = hpa ? want : ReplicaMath.next(total, maxSurge, maxUnavailable, now2,
                    new ReplicaMath.Split(stableReady, canaryReady), want);
            if (!next.equals(now2)) {
                if (next.canary() != canaryNow) {
                    scale(cluster, canaryName, next.canary());
                }
                if (next.stable() != stableNow) {
                    scale(cluster, app, next.stable());
                }
                return Tick.again(Rollouts.POLL);
            }
            reached = settled(stable, want.stable()) && settled(canary, want.canary());
            if (reached && want.canary() == 0 && target > 0) {
                log.accept("Note: " + target + "% of " + total + " pods rounds to no canary pod; this step sends"
                        + " the canary nothing.");
            }
        } else {
            int pods = ReplicaMath.canaryPodsWithRouter(total, target);
            TrafficRouter r = TrafficRouters.of(router, namespace);
            if (target < weight) {
                moveRouter(cluster, r, target, clock, log); // going down: traffic first, then pods
            }
            if (canaryNow != pods && (pods > canaryNow || target <= weight)) {
                scale(cluster, canaryName, pods);
                return Tick.again(Rollouts.POLL);
            }
            reached = settled(canary, pods);
            if (reached && target != weight) {
                moveRouter(cluster, r, target, clock, log); // going up: pods first, then traffic
            }
        }
        if (reached) {
            if (router == null) {
                weight = target;
                annotate(cluster, Map.of(CanaryState.WEIGHT, String.valueOf(target)));
                ReplicaMath.Split want = ReplicaMath.split(total, target);
                event(clock, log, StrategyEvent.WEIGHT, target, "Canary at " + target + "%: " + available(canary)
                        + " canary and " + available(deployment(cluster, app)) + " stable pods ready"
                        + (hpa ? " (stable sized by its HorizontalPodAutoscaler)" : "") + "; "
                        + want.canary() + " of " + total + " wanted.");
            }
            nextStep();
            return Tick.again(Duration.ZERO);
        }
        if (!now.isBefore(stepDeadline)) {
            return failed(cluster, clock, log, "The canary did not reach " + target + "% within " + format(timeout)
                    + ": " + CompletionRules.deployment(canary).message() + " (canary), "
                    + available(stable) + " of " + replicas(stable) + " stable pods available.");
        }
        return Tick.again(Rollouts.POLL);
    }

    private void moveRouter(KubeCluster cluster, TrafficRouter r, int target, Clock clock, Consumer<String> log)
            throws DeployException {
        r.setWeight(cluster, services, target);
        int read = r.weight(cluster, services);
        if (read != target) {
            throw new DeployException(r.describe() + " was set to send " + target + "% to the canary but reads back "
                    + read + "%.");
        }
        weight = target;
        annotate(cluster, Map.of(CanaryState.WEIGHT, String.valueOf(target)));
        event(clock, log, StrategyEvent.WEIGHT, target, r.describe() + " sends " + target + "% to the canary (read"
                + " back).");
    }

    private Tick promoting(KubeCluster cluster, Deployment stable, Clock clock, Consumer<String> log)
            throws DeployException {
        if (!promoteApplied) {
            Deployment canary = deployment(cluster, canaryName);
            String json = canary == null ? null : CanaryState.annotations(canary).get(CanaryState.STABLE_MANIFEST);
            if (json == null) {
                return finish(clock, log, DeployRecord.FAILED, "Deployment/" + canaryName + " or its "
                        + CanaryState.STABLE_MANIFEST + " annotation is gone; cannot promote.");
            }
            if (router != null) {
                // The stable Service (and an Istio stable subset) stop pinning the old pods, so that the new stable
                // pods take traffic as they start.
                Services.unpin(cluster, namespace, services.stableService());
                TrafficRouters.of(router, namespace).setWeight(cluster, services.unpinned(), weight);
            }
            GenericKubernetesResource body = KubeCluster.serialization().unmarshal(json,
                    GenericKubernetesResource.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) body.getAdditionalProperties().get("spec");
            if (hpa) {
                spec.remove("replicas");
            } else {
                spec.put("replicas", total);
            }
            cluster.apply(ResourceKind.DEPLOYMENT, namespace, body);
            annotate(cluster, Map.of(CanaryState.PHASE, CanaryState.PROMOTING, CanaryState.MESSAGE,
                    "rolling the stable Deployment to the canary's version"));
            promoteApplied = true;
            stepDeadline = clock.instant().plus(timeout);
            log.accept("Promoting: Deployment/" + app + " now rolls out the canary's pod template.");
            return Tick.again(Rollouts.POLL);
        }
        RolloutStatus status = CompletionRules.deployment(stable);
        if (status.isFailed() || !status.isDone() && !clock.instant().isBefore(stepDeadline)) {
            return finish(clock, log, DeployRecord.FAILED, "Promotion of " + app + " did not finish: "
                    + status.message() + ". The canary Deployment is kept; roll back with k8sRollback if needed.");
        }
        if (!status.isDone()) {
            return Tick.again(Rollouts.POLL);
        }
        // Stable runs the new version on every pod: send it all the traffic, then let the canary's pods go before
        // saying the canary was removed.
        if (!canaryDrained) {
            if (router != null && weight > 0) {
                TrafficRouter r = TrafficRouters.of(router, namespace);
                r.reset(cluster, services.unpinned());
                weight = 0;
            }
            Deployment canary = deployment(cluster, canaryName);
            if (canary != null && replicas(canary) != 0) {
                scale(cluster, canaryName, 0);
                return Tick.again(Rollouts.POLL);
            }
            if (!canaryPods(cluster).isEmpty() && clock.instant().isBefore(stepDeadline)) {
                return Tick.again(Rollouts.POLL);
            }
            canaryDrained = true;
        }
        removeCanary(cluster);
        cluster.mergePatch(ResourceKind.DEPLOYMENT, namespace, app, CanaryState.clearAll());
        weight = 100;
        event(clock, log, StrategyEvent.PROMOTED, 100, "Promoted: Deployment/" + app + " runs "
                + String.join(", ", toImages) + " on all pods; the canary was removed"
                + (router == null ? "." : " and " + TrafficRouters.of(router, namespace).describe() + " reset."));
        return finish(clock, log, DeployRecord.SUCCEEDED, null);
    }

    private Tick failed(KubeCluster cluster, Clock clock, Consumer<String> log, String reason)
            throws DeployException {
        failure = reason;
        if (!abortOnFailure) {
            log.accept(reason + " Not aborting: rollback on failure is off; the canary stays at " + weight + "%.");
            return finish(clock, log, DeployRecord.FAILED, reason);
        }
        startAbort(clock, log, reason);
        return aborting(cluster, stable(cluster), clock, log);
    }

    /** Moves the running analysis's record (if any) to the finished ones. */
    private void keepAnalysis() {
        if (analysisRun != null) {
            AnalysisRecord r = analysisRun.record();
            if (r != null) {
                analyses.add(r);
            }
            analysisRun = null;
        }
    }

    private void startAbort(Clock clock, Consumer<String> log, String reason) {
        keepAnalysis();
        if (failure == null) {
            failure = "The canary was aborted: " + reason + ".";
        }
        phase = Phase.ABORTING;
        stepDeadline = null;
        log.accept("Aborting the canary of " + app + ": " + reason);
    }

    private Tick aborting(KubeCluster cluster, Deployment stable, Clock clock, Consumer<String> log)
            throws DeployException {
        if (!abortIssued) {
            if (router != null) {
                TrafficRouter r = TrafficRouters.of(router, namespace);
                r.reset(cluster, services);
                int read = r.weight(cluster, services);
                if (read != 0) {
                    throw new DeployException(r.describe() + " still sends " + read + "% to the canary after the"
                            + " reset.");
                }
            }
            if (deployment(cluster, canaryName) != null) {
                scale(cluster, canaryName, 0);
            }
            if (router == null && !hpa && replicas(stable) != total) {
                scale(cluster, app, total);
            }
            annotate(cluster, Map.of(CanaryState.PHASE, CanaryState.ABORTING, CanaryState.WEIGHT, "0"));
            weight = 0;
            abortIssued = true;
            stepDeadline = clock.instant().plus(timeout);
            event(clock, log, StrategyEvent.ABORT, 0, "Aborted: all traffic back to stable"
                    + (router == null ? " (canary scaled to 0, stable back to " + total + " pods)"
                            : " (" + TrafficRouters.of(router, namespace).describe() + " reset)")
                    + ". Reason: " + failure);
            return Tick.again(Rollouts.POLL);
        }
        boolean canaryGone = canaryPods(cluster).isEmpty();
        boolean stableBack = hpa || router != null || available(stable) >= total;
        if (canaryGone && stableBack || !clock.instant().isBefore(stepDeadline)) {
            removeCanary(cluster);
            cluster.mergePatch(ResourceKind.DEPLOYMENT, namespace, app, CanaryState.clearAll());
            if (!(canaryGone && stableBack)) {
                log.accept("The stable Deployment did not get back to " + total + " available pods within "
                        + format(timeout) + " (" + available(stable) + " available).");
            }
            return finish(clock, log, DeployRecord.ABORTED, failure);
        }
        return Tick.again(Rollouts.POLL);
    }

    /** Deletes the canary Deployment and, when we created it, the canary Service; the stable Service stops pinning. */
    private void removeCanary(KubeCluster cluster) throws DeployException {
        cluster.delete(ResourceKind.DEPLOYMENT, namespace, canaryName);
        if (router != null) {
            TrafficRouters.of(router, namespace).reset(cluster, services.unpinned());
            Services.unpin(cluster, namespace, services.stableService());
            if (canaryServiceOurs) {
                cluster.delete(ResourceKind.SERVICE, namespace, services.canaryService());
            }
        }
    }

    @Override
    public void stop(String reason, boolean rollBack, KubeCluster cluster, Clock clock, Consumer<String> log)
            throws DeployException {
        if (phase == Phase.DONE) {
            return;
        }
        if (!rollBack || phase == Phase.PROMOTING && promoteApplied) {
            log.accept("Stopped (" + reason + "); the canary of " + app + " is left at " + weight + "%: promote or"
                    + " abort it with canaryPromote or k8spd canary.");
            annotate(cluster, Map.of(CanaryState.PHASE, CanaryState.PAUSED, CanaryState.MESSAGE, "stopped: " + reason));
            finish(clock, log, DeployRecord.FAILED, "Stopped: " + reason + ".");
            return;
        }
        if (phase != Phase.ABORTING) {
            startAbort(clock, log, reason);
        }
        if (!abortIssued) {
            aborting(cluster, stable(cluster), clock, log);
        }
        removeCanary(cluster);
        cluster.mergePatch(ResourceKind.DEPLOYMENT, namespace, app, CanaryState.clearAll());
        finish(clock, log, DeployRecord.ABORTED, failure);
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
        String status = DeployRecord.SUCCEEDED.equals(outcome) ? "DONE"
                : outcome == null ? "PROGRESSING" : "FAILED";
        var workload = new DeployRecord.WorkloadResult("Deployment", app, namespace, 0, 0, fromImages, toImages,
                status, failure == null ? "canary at " + weight + "%" : failure);
        return new DeployRecord(server, outcome == null ? DeployRecord.FAILED : outcome, started, end,
                Duration.between(started, end).toMillis(), apiRequests, List.copyOf(changes), List.of(workload),
                outcome != null && outcome.equals(DeployRecord.ABORTED) ? List.of(failure) : List.of(),
                List.copyOf(timeline), DeployRecord.SUCCEEDED.equals(outcome) ? null : failure, DeployRecord.CANARY,
                app, List.copyOf(events), allAnalyses());
    }

    private List<AnalysisRecord> allAnalyses() {
        List<AnalysisRecord> all = new ArrayList<>(analyses);
        AnalysisRecord running = analysisRun == null ? null : analysisRun.record();
        if (running != null) {
            all.add(running);
        }
        return all;
    }

    // --- helpers ---

    private Tick finish(Clock clock, Consumer<String> log, String outcome, String failure) {
        this.outcome = outcome;
        if (failure != null && this.failure == null) {
            this.failure = failure;
        }
        if (failure != null && !DeployRecord.ABORTED.equals(outcome)) {
            log(clock, log, failure);
        }
        phase = Phase.DONE;
        finishedAt = clock.instant();
        return Tick.FINISHED;
    }

    private void nextStep() {
        keepAnalysis();
        step++;
        stepDeadline = null;
        pauseUntil = null;
        awaiting = false;
        approvalSince = null;
        approvalMessage = null;
        analysisRun = null;
    }

    void event(Clock clock, Consumer<String> log, String type, Integer w, String detail) {
        Instant at = clock.instant(); // one time for the event and its timeline line, so the two match
        events.add(new StrategyEvent(at, type, w, detail));
        timeline.add(new TimelineEntry(at, detail));
        log.accept(detail);
    }

    void log(Clock clock, Consumer<String> log, String line) {
        timeline.add(new TimelineEntry(clock.instant(), line));
        log.accept(line);
    }

    /**
     * Removes the command just read, only if the Deployment has not changed since: a command written in between is
     * neither lost nor taken twice. False when it had changed.
     */
    private boolean takeOnce(KubeCluster cluster, Deployment read, Map<String, String> values) throws DeployException {
        return cluster.annotateIfUnchanged(ResourceKind.DEPLOYMENT, namespace, app,
                read.getMetadata().getResourceVersion(), values);
    }

    private void annotate(KubeCluster cluster, Map<String, String> values) throws DeployException {
        Map<String, String> v = new HashMap<>(values);
        if (values.containsKey(CanaryState.STEP) || values.containsKey(CanaryState.WEIGHT)
                || values.containsKey(CanaryState.PHASE)) {
            v.put(CanaryState.STEP, String.valueOf(step));
        }
        cluster.mergePatch(ResourceKind.DEPLOYMENT, namespace, app, CanaryState.set(v));
    }

    private void scale(KubeCluster cluster, String name, int replicas) throws DeployException {
        var stored = cluster.mergePatch(ResourceKind.DEPLOYMENT, namespace, name,
                Map.of("spec", Map.of("replicas", replicas)));
        if (stored != null && stored.getMetadata().getGeneration() != null) {
            if (scaledGeneration == null) {
                scaledGeneration = new HashMap<>();
            }
            scaledGeneration.put(name, stored.getMetadata().getGeneration());
        }
    }

    private Deployment stable(KubeCluster cluster) {
        return deployment(cluster, app);
    }

    private Deployment deployment(KubeCluster cluster, String name) {
        return cluster.deployment(namespace, name);
    }

    private List<Pod> canaryPods(KubeCluster cluster) {
        return cluster.pods(namespace, services.canaryPodLabels());
    }

    /** Spec replicas, status caught up, that many available and no more pods: the count has settled. */
    private boolean settled(Deployment d, int want) {
        if (d == null) {
            return want == 0;
        }
        var s = d.getStatus();
        Long scaled = scaledGeneration == null ? null : scaledGeneration.get(d.getMetadata().getName());
        long seen = scaled != null ? scaled : d.getMetadata().getGeneration();
        boolean caughtUp = s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= seen;
        return caughtUp && replicas(d) == want && available(d) >= want
                && Objects.requireNonNullElse(s.getReplicas(), 0) == want;
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
