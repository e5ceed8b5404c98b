package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.rollout.PodDiagnosis;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A blue-green deploy or switch in progress, as plain serializable state: wait until the colour to serve is fully
 * available, switch the active Service's selector to it (one merge patch), check that the Service's EndpointSlices
 * list only that colour's pods, and mark the colour left for scale-down after the delay. Every tick re-reads the
 * cluster: the active colour is what the active Service selects, the scale-down time is an annotation.
 *
 * <p>With a post-switch analysis, the colour left keeps its pods (no scale-down time) while the analysis of the new
 * colour against it runs; passed, the scale-down is scheduled as without one; failed or unable to measure, the active
 * Service is switched back in the same tick; inconclusive, a person decides ({@link #pendingApproval()}).
 */
public final class BlueGreenRollout implements Rollout {
    private static final long serialVersionUID = 1L;

    /** How long the EndpointSlices may take to follow a selector change before the switch is reported failed. */
    static final Duration VERIFY_BOUND = Duration.ofSeconds(30);
    static final Duration VERIFY_POLL = Duration.ofMillis(100);
    static final Duration SCALE_DOWN_POLL = Duration.ofSeconds(2);

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

    private final Operation operation;
    private final BlueGreenTarget target;
    private final String server;
    private final Instant started;
    /** The colour active when this began; {@code null} on a first deploy. */
    private final String from;
    /** The colour to make active. */
    private final String to;
    private final boolean switchWhenAvailable;
    private final Duration scaleDownDelay;
    private final Duration timeout;
    private final boolean waitForScaleDown;
    private final boolean plainDeploymentExists;
    private final WorkloadState before;

    private volatile Phase phase;
    private Instant deadline;
    private Instant verifyDeadline;
    private Instant scaleDownAt;
    private Instant finished;
    private String failure;
    private String lastLine;
    private Long switchNanos;
    private long apiRequests;
    private WorkloadState after;
    private final List<ObjectChange> changes = new ArrayList<>();
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final List<StrategyEvent> events = new ArrayList<>();
    private final List<String> rollbacks = new ArrayList<>();

    /** The analysis to run after the switch; {@code null} for none. */
    private String analysisName;
    /** The analyses it may name; not kept: set again after the state was read back ({@link #withAnalysis}). */
    private transient AnalysisPort analysis;
    private AnalysisPort.Run analysisRun;
    private final List<AnalysisRecord> analyses = new ArrayList<>();
    /** An inconclusive analysis waits for a person since then; {@code null} when nothing waits. */
    private Instant approvalSince;
    private String approvalMessage;
    /** A person's answer, carried out at the next tick: true proceeds, false switches back. */
    private Boolean decision;
    private String decisionReason;

    BlueGreenRollout(Operation operation, BlueGreenTarget target, String server, Instant started, String from,
            String to, boolean switchWhenAvailable, Duration scaleDownDelay, Duration timeout,
            boolean waitForScaleDown, boolean plainDeploymentExists, WorkloadState before) {
        this.operation = operation;
        this.target = target;
        this.server = server;
        this.started = started;
        this.from = from;
        this.to = to;
        this.switchWhenAvailable = switchWhenAvailable;
        this.scaleDownDelay = scaleDownDelay;
        this.timeout = timeout;
        this.waitForScaleDown = waitForScaleDown;
        this.plainDeploymentExists = plainDeploymentExists;
        this.before = before;
    }

    /** Starts waiting for {@link #to} to be available, until now + timeout. */
    void waitForAvailability(Instant now) {
        phase = Phase.WAIT_AVAILABLE;
        deadline = now.plus(timeout);
    }

    /** After a verified switch to a new colour, run the named analysis before the old colour may be scaled down. */
    void analyseAfterSwitch(String name) {
        this.analysisName = name == null || name.isBlank() ? null : name;
    }

    /** The analysis named by the request ({@code null}: none). */
    public String analysisName() {
        return analysisName;
    }

    /** The analyses the post-switch analysis is looked up in; set again after the state was read back from disk. */
    public BlueGreenRollout withAnalysis(AnalysisPort analysis) {
        this.analysis = analysis;
        if (analysisRun != null && analysis != null) {
            analysisRun = analysis.resume(analysisRun);
        }
        return this;
    }

    /** Switches at the next tick. */
    void switchNext() {
        phase = Phase.SWITCH;
    }

    public Operation operation() {
        return operation;
    }

    public Phase phase() {
        return phase;
    }

    public BlueGreenTarget target() {
        return target;
    }

    /** The colour active before this began ({@code null} on a first deploy). */
    public String from() {
        return from;
    }

    /** The colour this makes (or made) active. */
    public String to() {
        return to;
    }

    /** How long the one selector change of the active Service took (the PATCH request), once it was made. */
    public Optional<Duration> switchLatency() {
        return switchNanos == null ? Optional.empty() : Optional.of(Duration.ofNanos(switchNanos));
    }

    public boolean finished() {
        return phase == Phase.SUCCEEDED || phase == Phase.FAILED;
    }

    void addChange(ObjectChange change) {
        changes.add(change);
    }

    void addEvents(List<StrategyEvent> more) {
        events.addAll(more);
    }

    void event(Instant at, String type, Integer weight, String detail) {
        events.add(new StrategyEvent(at, type, weight, detail));
    }

    void countRequests(long n) {
        apiRequests += n;
    }

    /** A line for the log and the timeline. */
    void log(Clock clock, Consumer<String> log, String line) {
        timeline.add(new TimelineEntry(clock.instant(), line));
        log.accept(line);
    }

    /** What the new version's share of traffic is when {@code colour} is active: 100 or 0. */
    private int weightWhenActive(String colour) {
        String newest = operation == Operation.SWITCH_BACK ? from : to;
        return colour != null && colour.equals(newest) ? 100 : 0;
    }

    @Override
    public Tick tick(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        long requests = cluster.requestCount();
        try {
            return switch (phase) {
                case WAIT_AVAILABLE -> waitAvailable(cluster, clock, log);
                case SWITCH -> doSwitch(cluster, clock, log);
                case VERIFY -> verify(cluster, clock, log);
                case ANALYSIS -> analyse(cluster, clock, log);
                case VERIFY_BACK -> verifyBack(cluster, clock, log);
                case WAIT_SCALE_DOWN -> waitScaleDown(cluster, clock, log);
                case SUCCEEDED, FAILED -> Tick.FINISHED;
            };
        } finally {
            apiRequests += cluster.requestCount() - requests;
        }
    }

    private Tick waitAvailable(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        String ns = target.namespace();
        String name = target.deployment(to);
        Deployment d = BlueGreenCluster.deployment(cluster, ns, name);
        if (d == null) {
            return failColour(cluster, clock, log, "was deleted while it was being waited for");
        }
        RolloutStatus s = BlueGreenCluster.availability(d);
        Instant now = clock.instant();
        if (s.isDone()) {
            log(clock, log, "Deployment/" + name + " (" + to + ") is available: " + s.message() + ".");
            if (!switchWhenAvailable) {
                String line = "Preview ready: Service " + target.previewService() + " selects " + to + "; " + from
                        + " stays active behind Service " + target.activeService() + ". Switch with blueGreenSwitch"
                        + " / k8spd bluegreen switch " + target.app() + ".";
                log(clock, log, line);
                event(now, StrategyEvent.PAUSE, weightWhenActive(from),
                        "preview ready; switch with blueGreenSwitch / k8spd bluegreen switch");
                return succeed(cluster, clock, log, null);
            }
            phase = Phase.SWITCH;
            return Tick.again(Duration.ZERO);
        }
        String reason = null;
        if (s.isFailed()) {
            reason = s.message() + suffix(BlueGreenCluster.notReady(cluster, BlueGreenCluster.newPods(cluster, d)));
        } else {
            List<Pod> pods = BlueGreenCluster.newPods(cluster, d);
            Optional<PodDiagnosis.Doom> doom = PodDiagnosis.allDoomed(pods);
            if (doom.isPresent()) {
                reason = doom.get().reason() + BlueGreenCluster.recentEvents(cluster, doom.get().pod());
            } else if (!now.isBefore(deadline)) {
                reason = "did not become available within " + format(timeout) + "; still " + s.message()
                        + suffix(BlueGreenCluster.notReady(cluster, pods));
            }
        }
        if (reason != null) {
            return failColour(cluster, clock, log, reason);
        }
        String line = "Waiting for Deployment/" + name + " (" + to + "): " + s.message() + ".";
        if (!line.equals(lastLine)) {
            log(clock, log, line);
            lastLine = line;
        }
        Duration left = Duration.between(now, deadline);
        return Tick.again(left.compareTo(Rollouts.POLL) < 0 ? left : Rollouts.POLL);
    }

    /** The colour being brought up failed: scale it to zero; the active colour was never touched. */
    private Tick failColour(KubeCluster cluster, Clock clock, Consumer<String> log, String reason)
            throws DeployException {
        String name = target.deployment(to);
        String where = "Deployment/" + name + " in " + target.namespace();
        log(clock, log, where + " failed: " + reason + ".");
        if (BlueGreenCluster.deployment(cluster, target.namespace(), name) != null) {
            BlueGreenCluster.scale(cluster, target.namespace(), name, 0, true);
        }
        String serving = from == null
                ? "No colour was active before and nothing was switched"
                : "The active colour " + from + " (Service " + target.activeService() + ") is untouched and still"
                        + " serves";
        String line = serving + "; Deployment/" + name + " was scaled to 0.";
        log(clock, log, line);
        event(clock.instant(), StrategyEvent.ABORT, weightWhenActive(from), where + " failed; " + from
                + " still serves");
        rollbacks.add(line);
        return fail(cluster, clock, log, where + " failed: " + reason + ". " + line);
    }

    private Tick doSwitch(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        String ns = target.namespace();
        var service = BlueGreenCluster.service(cluster, ns, target.activeService());
        if (service == null) {
            throw new DeployException("Service/" + target.activeService() + " does not exist in namespace " + ns
                    + ", so there is nothing to switch. Expected the active Service of " + target.app()
                    + " (deploy it with its manifests first).");
        }
        String current = Colours.colourOf(service.getSpec().getSelector());
        if (!to.equals(current)) {
            Deployment d = BlueGreenCluster.deployment(cluster, ns, target.deployment(to));
            RolloutStatus s = BlueGreenCluster.availability(d);
            if (!s.isDone()) {
                throw new DeployException(refusal(target, to, current, s));
            }
            long t0 = System.nanoTime();
            BlueGreenCluster.select(cluster, ns, target.activeService(), to);
            switchNanos = System.nanoTime() - t0;
            String type = operation == Operation.SWITCH_BACK ? StrategyEvent.SWITCH_BACK : StrategyEvent.SWITCH;
            String line = (operation == Operation.SWITCH_BACK ? "Switched back" : "Switched") + " Service "
                    + target.activeService() + (current == null ? "" : " from " + current) + " to " + to
                    + ": one selector change (" + Duration.ofNanos(switchNanos).toMillis() + " ms).";
            event(clock, log, type, weightWhenActive(to), line);
        } else if (from == null) {
            // A first deploy created the Service selecting the new colour: this is the moment it starts to serve.
            String line = "Service " + target.activeService() + " points at " + to + " (it was created selecting it).";
            event(clock, log, StrategyEvent.SWITCH, weightWhenActive(to), line);
        } else {
            log(clock, log, "Service " + target.activeService() + " already selects " + to + ".");
        }
        Map<String, String> annotations = new HashMap<>();
        annotations.put(Colours.HAS_SERVED, "true");
        annotations.put(Colours.SCALE_DOWN_AT, null);
        BlueGreenCluster.annotate(cluster, ns, target.deployment(to), annotations);
        String other = Colours.other(to);
        var preview = BlueGreenCluster.service(cluster, ns, target.previewService());
        if (preview != null && !other.equals(Colours.colourOf(preview.getSpec().getSelector()))) {
            BlueGreenCluster.select(cluster, ns, target.previewService(), other);
            log(clock, log, "Service " + target.previewService() + " now selects " + other
                    + " (the colour not active).");
        }
        phase = Phase.VERIFY;
        verifyDeadline = clock.instant().plus(VERIFY_BOUND);
        lastLine = null;
        return Tick.again(Duration.ZERO);
    }

    static String refusal(BlueGreenTarget target, String to, String current, RolloutStatus s) {
        return "Refused to switch Service " + target.activeService() + " to " + to + ": Deployment/"
                + target.deployment(to) + " in " + target.namespace() + " is not fully available (" + s.message()
                + "). Nothing was changed" + (current == null ? "." : "; " + current + " still serves.")
                + " Expected every replica of " + to + " updated and available first: wait for the deploy"
                + " (k8spd bluegreen status " + target.app() + ") or deploy again.";
    }

    private Tick verify(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        String ns = target.namespace();
        BlueGreenCluster.Endpoints e = BlueGreenCluster.endpoints(cluster, ns, target.activeService(), to);
        Instant now = clock.instant();
        if (!e.ok()) {
            if (!now.isBefore(verifyDeadline)) {
                String kept = from == null ? "" : " " + from + " keeps its pods: it is not scheduled for scale-down.";
                return fail(cluster, clock, log, "Service " + target.activeService() + " in " + ns + " selects " + to
                        + ", but after " + format(VERIFY_BOUND) + " its EndpointSlices (label "
                        + BlueGreenCluster.SERVICE_NAME_LABEL + "=" + target.activeService() + ") do not show it: "
                        + e.detail() + ". Expected the endpointslice controller to follow the selector." + kept);
            }
            String line = "Waiting for the EndpointSlices of Service " + target.activeService() + ": " + e.detail()
                    + ".";
            if (!line.equals(lastLine)) {
                log(clock, log, line);
                lastLine = line;
            }
            return Tick.again(VERIFY_POLL);
        }
        log(clock, log, "The EndpointSlices of Service " + target.activeService() + " list only " + to + " pods: "
                + e.detail() + ".");
        if (plainDeploymentExists) {
            log(clock, log, "Deployment/" + target.app() + " (from before blue-green) was left untouched; Service "
                    + target.activeService() + " no longer selects its pods. Delete it when it is no longer needed.");
        }
        if (from == null || from.equals(to)) {
            return succeed(cluster, clock, log, null);
        }
        if (analysisName != null && operation != Operation.SWITCH_BACK) {
            phase = Phase.ANALYSIS;
            lastLine = null;
            log(clock, log, from + " (Deployment/" + target.deployment(from) + ") keeps its pods while analysis '"
                    + analysisName + "' of " + to + " runs; it is scheduled for scale-down only when the analysis"
                    + " passed.");
            return analyse(cluster, clock, log);
        }
        return scheduleScaleDown(cluster, clock, log, now);
    }

    /** The new colour serves for good: the old one is scaled down after the delay (at once with no delay). */
    private Tick scheduleScaleDown(KubeCluster cluster, Clock clock, Consumer<String> log, Instant now)
            throws DeployException {
        String ns = target.namespace();
        Deployment old = BlueGreenCluster.deployment(cluster, ns, target.deployment(from));
        if (old == null || BlueGreenCluster.replicas(old) == 0) {
            return succeed(cluster, clock, log, null);
        }
        if (scaleDownDelay.isZero() || scaleDownDelay.isNegative()) {
            BlueGreenCluster.scale(cluster, ns, target.deployment(from), 0, true);
            String line = "Scaled " + from + " (Deployment/" + target.deployment(from) + ") to 0 replicas at once:"
                    + " the scale-down delay is 0.";
            event(clock, log, StrategyEvent.SCALE_DOWN, null, line);
            return succeed(cluster, clock, log, null);
        }
        scaleDownAt = now.plus(scaleDownDelay);
        BlueGreenCluster.annotate(cluster, ns, target.deployment(from),
                Map.of(Colours.SCALE_DOWN_AT, BlueGreenCluster.rfc3339(scaleDownAt)));
        log(clock, log, from + " (Deployment/" + target.deployment(from) + ") keeps its "
                + BlueGreenCluster.replicas(old) + " replicas until " + BlueGreenCluster.rfc3339(scaleDownAt)
                + " (scale-down delay " + format(scaleDownDelay) + "), so switching back is instant until then.");
        if (waitForScaleDown) {
            phase = Phase.WAIT_SCALE_DOWN;
            return Tick.again(untilScaleDown(now));
        }
        return succeed(cluster, clock, log, null);
    }

    /** The new colour (canary) against the old one (stable): Services and pod labels by colour. */
    private CanaryServices services(KubeCluster cluster) throws DeployException {
        var active = BlueGreenCluster.service(cluster, target.namespace(), target.activeService());
        Map<String, String> base = active == null || active.getSpec() == null ? Map.of()
                : Colours.baseSelector(active.getSpec().getSelector());
        Map<String, String> newPods = new LinkedHashMap<>(base);
        newPods.put(Colours.COLOUR, to);
        Map<String, String> oldPods = new LinkedHashMap<>(base);
        oldPods.put(Colours.COLOUR, from);
        return new CanaryServices(target.namespace(), target.previewService(), target.activeService(), oldPods,
                newPods);
    }

    private Tick analyse(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        if (decision != null) {
            boolean proceed = decision;
            String why = decisionReason;
            decision = null;
            decisionReason = null;
            approvalSince = null;
            approvalMessage = null;
            keepAnalysis();
            if (proceed) {
                return scheduleScaleDown(cluster, clock, log, clock.instant());
            }
            return switchBackNow(cluster, clock, log, why);
        }
        String active = BlueGreenCluster.activeColour(cluster, target);
        if (!to.equals(active)) {
            keepAnalysis();
            approvalSince = null;
            String line = "Service " + target.activeService() + " no longer selects " + to + " ("
                    + (active == null ? "no colour" : active) + " serves): switched back meanwhile, so analysis '"
                    + analysisName + "' stopped.";
            log(clock, log, line);
            rollbacks.add(line);
            return fail(cluster, clock, log, line);
        }
        if (approvalSince != null) {
            return Tick.again(Duration.ofSeconds(2));
        }
        Instant now = clock.instant();
        if (analysisRun == null) {
            try {
                analysisRun = (analysis == null ? AnalysisPort.NONE : analysis).start(analysisName,
                        services(cluster), now);
            } catch (DeployException e) {
                event(clock, log, StrategyEvent.ANALYSIS, weightWhenActive(to), "Analysis '" + analysisName
                        + "' could not start: " + e.getMessage());
                return switchBackNow(cluster, clock, log, "analysis '" + analysisName + "' could not start: "
                        + e.getMessage());
            }
            event(clock, log, StrategyEvent.ANALYSIS, weightWhenActive(to), "Analysis '" + analysisName + "' of "
                    + to + " against " + from + " started.");
        }
        AnalysisPort.Verdict v = analysisRun.poll(now);
        return switch (v.status()) {
            case RUNNING -> Tick.again(analysisRun.next());
            case SUCCESSFUL -> {
                event(clock, log, StrategyEvent.ANALYSIS, weightWhenActive(to), "Analysis '" + analysisName
                        + "' passed: " + v.message());
                keepAnalysis();
                yield scheduleScaleDown(cluster, clock, log, clock.instant());
            }
            case INCONCLUSIVE -> {
                event(clock, log, StrategyEvent.ANALYSIS, weightWhenActive(to), "Analysis '" + analysisName
                        + "' was inconclusive: " + v.message());
                approvalSince = clock.instant();
                approvalMessage = "Analysis '" + analysisName + "' of " + to + " was inconclusive; " + to
                        + " serves and " + from + " keeps its pods. Keep " + to + " (proceed) or switch back to "
                        + from + " (abort)?";
                event(clock, log, StrategyEvent.APPROVAL_WAIT, weightWhenActive(to), approvalMessage
                        + " Switching back by hand: k8spd bluegreen switch --rollback " + target.app() + " -n "
                        + target.namespace() + " (or blueGreenSwitch rollback: true).");
                yield Tick.again(Duration.ofSeconds(2));
            }
            case FAILED, ERROR -> {
                String what = v.status() == AnalysisPort.Status.FAILED ? "failed" : "could not measure";
                event(clock, log, StrategyEvent.ANALYSIS, weightWhenActive(to), "Analysis '" + analysisName + "' "
                        + what + ": " + v.message());
                keepAnalysis();
                yield switchBackNow(cluster, clock, log, "analysis '" + analysisName + "' "
                        + v.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + v.message());
            }
        };
    }

    /**
     * Switches the active Service back to {@link #from} in this tick (it still has its pods: nothing scheduled it for
     * scale-down), the preview Service to {@link #to}, and schedules {@link #to} for scale-down after the delay.
     */
    private Tick switchBackNow(KubeCluster cluster, Clock clock, Consumer<String> log, String reason)
            throws DeployException {
        String ns = target.namespace();
        long t0 = System.nanoTime();
        BlueGreenCluster.select(cluster, ns, target.activeService(), from);
        long nanos = System.nanoTime() - t0;
        Instant at = clock.instant();
        String line = "Switched Service " + target.activeService() + " back from " + to + " to " + from + " ("
                + Duration.ofNanos(nanos).toMillis() + " ms): " + reason;
        events.add(new StrategyEvent(at, StrategyEvent.SWITCH_BACK, weightWhenActive(from), line));
        timeline.add(new TimelineEntry(at, line));
        log.accept(line);
        rollbacks.add(line);
        failure = "Analysis '" + analysisName + "' of " + to + " did not pass (" + reason + "); switched Service "
                + target.activeService() + " back to " + from + ".";
        var preview = BlueGreenCluster.service(cluster, ns, target.previewService());
        if (preview != null) {
            BlueGreenCluster.select(cluster, ns, target.previewService(), to);
        }
        Deployment left = BlueGreenCluster.deployment(cluster, ns, target.deployment(to));
        if (left != null && BlueGreenCluster.replicas(left) > 0) {
            scaleDownAt = at.plus(scaleDownDelay.isNegative() ? Duration.ZERO : scaleDownDelay);
            BlueGreenCluster.annotate(cluster, ns, target.deployment(to),
                    Map.of(Colours.SCALE_DOWN_AT, BlueGreenCluster.rfc3339(scaleDownAt)));
            log(clock, log, to + " (Deployment/" + target.deployment(to) + ") keeps its pods for inspection until "
                    + BlueGreenCluster.rfc3339(scaleDownAt) + "; the next deploy or switch of " + target.app()
                    + " scales it down after that.");
        }
        phase = Phase.VERIFY_BACK;
        verifyDeadline = at.plus(VERIFY_BOUND);
        lastLine = null;
        return Tick.again(VERIFY_POLL);
    }

    private Tick verifyBack(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        String ns = target.namespace();
        BlueGreenCluster.Endpoints e = BlueGreenCluster.endpoints(cluster, ns, target.activeService(), from);
        if (e.ok()) {
            log(clock, log, "The EndpointSlices of Service " + target.activeService() + " list only " + from
                    + " pods again: " + e.detail() + ".");
            return fail(cluster, clock, log, failure);
        }
        if (!clock.instant().isBefore(verifyDeadline)) {
            return fail(cluster, clock, log, failure + " But after " + format(VERIFY_BOUND) + " its EndpointSlices"
                    + " do not show " + from + ": " + e.detail() + ".");
        }
        return Tick.again(VERIFY_POLL);
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

    private List<AnalysisRecord> allAnalyses() {
        List<AnalysisRecord> all = new ArrayList<>(analyses);
        AnalysisRecord running = analysisRun == null ? null : analysisRun.record();
        if (running != null) {
            all.add(running);
        }
        return all;
    }

    /** One time for the event and its timeline line. */
    private void event(Clock clock, Consumer<String> log, String type, Integer weight, String detail) {
        Instant at = clock.instant();
        events.add(new StrategyEvent(at, type, weight, detail));
        timeline.add(new TimelineEntry(at, detail));
        log.accept(detail);
    }

    @Override
    public Optional<Approval> pendingApproval() {
        if (phase != Phase.ANALYSIS || approvalSince == null || decision != null) {
            return Optional.empty();
        }
        return Optional.of(new Approval(approvalId(), approvalMessage, approvalSince, null));
    }

    private String approvalId() {
        return target.app() + "-" + to + "-" + approvalSince.toEpochMilli();
    }

    @Override
    public void decide(Approval.Decision d, Clock clock, Consumer<String> log) {
        if (pendingApproval().isEmpty() || !approvalId().equals(d.approvalId())) {
            log.accept("The approval " + d.approvalId() + " is no longer waiting; ignoring "
                    + (d.proceed() ? "proceed" : "abort") + " by " + d.who() + ".");
            return;
        }
        String by = " by " + d.who() + (d.comment() == null || d.comment().isBlank() ? "" : ": " + d.comment());
        if (d.proceed()) {
            event(clock, log, StrategyEvent.APPROVED, weightWhenActive(to), "Approved" + by + "; " + to
                    + " stays active.");
        } else {
            event(clock, log, StrategyEvent.REJECTED, weightWhenActive(to), "Rejected" + by + "; switching back to "
                    + from + ".");
        }
        decision = d.proceed();
        decisionReason = "analysis '" + analysisName + "' was inconclusive and it was rejected" + by;
    }

    private Tick waitScaleDown(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        String ns = target.namespace();
        events.addAll(BlueGreenCluster.scaleDownExpired(cluster, target, null, clock, line -> log(clock, log, line)));
        Deployment old = BlueGreenCluster.deployment(cluster, ns, target.deployment(from));
        if (old == null || BlueGreenCluster.replicas(old) == 0) {
            return succeed(cluster, clock, log, null);
        }
        if (from.equals(BlueGreenCluster.activeColour(cluster, target))) {
            log(clock, log, from + " is active again (switched back meanwhile), so it is not scaled down.");
            return succeed(cluster, clock, log, null);
        }
        Instant at = BlueGreenCluster.scaleDownAt(old);
        if (at == null) {
            log(clock, log, from + " is no longer scheduled for scale-down; it keeps its replicas.");
            return succeed(cluster, clock, log, null);
        }
        scaleDownAt = at;
        return Tick.again(untilScaleDown(clock.instant()));
    }

    private Duration untilScaleDown(Instant now) {
        Duration left = Duration.between(now, scaleDownAt).plusMillis(20);
        return left.isNegative() ? Duration.ZERO : left.compareTo(SCALE_DOWN_POLL) > 0 ? SCALE_DOWN_POLL : left;
    }

    private Tick succeed(KubeCluster cluster, Clock clock, Consumer<String> log, String note) throws DeployException {
        phase = Phase.SUCCEEDED;
        after = state(cluster);
        finished = clock.instant();
        String serving = BlueGreenCluster.activeColour(cluster, target);
        log(clock, log, switch (operation) {
            case DEPLOY -> "Blue-green deploy of " + target.app() + " finished";
            case SWITCH -> "Switch of " + target.app() + " finished";
            case SWITCH_BACK -> "Switch back of " + target.app() + " finished";
        } + ": " + (serving == null ? "no colour" : serving) + " serves" + (note == null ? "" : "; " + note) + ".");
        return Tick.FINISHED;
    }

    private Tick fail(KubeCluster cluster, Clock clock, Consumer<String> log, String why) throws DeployException {
        keepAnalysis();
        phase = Phase.FAILED;
        failure = why;
        after = state(cluster);
        finished = clock.instant();
        return Tick.FINISHED;
    }

    private WorkloadState state(KubeCluster cluster) throws DeployException {
        var live = cluster.get(io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind.DEPLOYMENT, target.namespace(),
                target.deployment(to));
        return live == null ? WorkloadState.NONE : WorkloadState.of(live);
    }

    @Override
    public void stop(String reason, boolean rollBack, KubeCluster cluster, Clock clock, Consumer<String> log)
            throws DeployException {
        if (finished()) {
            return;
        }
        long requests = cluster.requestCount();
        try {
            String ns = target.namespace();
            if (phase == Phase.WAIT_SCALE_DOWN) {
                log(clock, log, "Stopped waiting for the scale-down (" + reason + "): the switch to " + to
                        + " stands; the next deploy or switch of " + target.app() + " scales " + from + " down after "
                        + BlueGreenCluster.rfc3339(scaleDownAt) + ".");
                succeed(cluster, clock, log, null);
                return;
            }
            keepAnalysis();
            if (phase == Phase.VERIFY_BACK) {
                log(clock, log, "Stopped (" + reason + ") while checking the switch back: " + from + " serves.");
                fail(cluster, clock, log, failure);
                return;
            }
            String active = BlueGreenCluster.activeColour(cluster, target);
            String line;
            if (!rollBack) {
                line = "Stopped (" + reason + "); left as it is: " + (active == null ? "no colour" : active)
                        + " serves, Deployment/" + target.deployment(to) + " keeps its replicas.";
            } else if (to.equals(active) && from != null && !from.equals(to)
                    && BlueGreenCluster.availability(BlueGreenCluster.deployment(cluster, ns, target.deployment(from)))
                            .isDone()) {
                BlueGreenCluster.select(cluster, ns, target.activeService(), from);
                var preview = BlueGreenCluster.service(cluster, ns, target.previewService());
                if (preview != null) {
                    BlueGreenCluster.select(cluster, ns, target.previewService(), to);
                }
                line = "Stopped (" + reason + "): switched Service " + target.activeService() + " back to " + from
                        + ".";
                event(clock.instant(), StrategyEvent.SWITCH_BACK, weightWhenActive(from), line);
            } else if (!to.equals(active) && operation != Operation.SWITCH) {
                BlueGreenCluster.scale(cluster, ns, target.deployment(to), 0, true);
                line = "Stopped (" + reason + "): Deployment/" + target.deployment(to) + " scaled to 0; "
                        + (active == null ? "no colour" : active) + " serves, untouched.";
                event(clock.instant(), StrategyEvent.ABORT, weightWhenActive(active), line);
            } else {
                line = "Stopped (" + reason + "): " + (active == null ? "no colour" : active) + " serves.";
            }
            log(clock, log, line);
            rollbacks.add(line);
            fail(cluster, clock, log, "Stopped: " + reason + ". " + line);
        } finally {
            apiRequests += cluster.requestCount() - requests;
        }
    }

    @Override
    public Duration outageTolerance() {
        return timeout;
    }

    @Override
    public String afterOutage() {
        return "k8spd bluegreen status " + target.app() + " -n " + target.namespace() + " to see which colour serves"
                + (from == null ? "" : ", and k8spd bluegreen switch " + target.app() + " -n " + target.namespace()
                        + " --rollback to send traffic back to " + from);
    }

    @Override
    public String status() {
        String what = "blue-green " + target.app();
        return switch (phase) {
            case WAIT_AVAILABLE -> what + ": waiting for " + to + (lastLine == null ? "" : " (" + lastLine + ")");
            case SWITCH -> what + ": switching to " + to;
            case VERIFY -> what + ": switched to " + to + ", checking its endpoints";
            case ANALYSIS -> what + ": " + to + " serves; " + (approvalSince != null
                    ? "analysis '" + analysisName + "' was inconclusive, waiting for a decision"
                    : "analysis '" + analysisName + "' running") + "; " + from + " keeps its pods";
            case VERIFY_BACK -> what + ": switched back to " + from + ", checking its endpoints";
            case WAIT_SCALE_DOWN -> what + ": " + to + " serves; " + from + " scales down at "
                    + BlueGreenCluster.rfc3339(scaleDownAt);
            case SUCCEEDED -> what + ": done";
            case FAILED -> what + ": failed";
        };
    }

    @Override
    public DeployRecord record(Clock clock) {
        Instant end = finished != null ? finished : clock.instant();
        String outcome = phase == Phase.SUCCEEDED ? DeployRecord.SUCCEEDED : DeployRecord.FAILED;
        String why = phase == Phase.SUCCEEDED ? null : failure != null ? failure : "not finished: " + status();
        WorkloadState b = before == null ? WorkloadState.NONE : before;
        WorkloadState a = after == null ? WorkloadState.NONE : after;
        List<DeployRecord.WorkloadResult> workloads = List.of(new DeployRecord.WorkloadResult("Deployment",
                target.deployment(to), target.namespace(), b.revision(), a.revision(), b.images(), a.images(),
                phase == Phase.SUCCEEDED ? "DONE" : finished() ? "FAILED" : "PROGRESSING",
                phase == Phase.SUCCEEDED ? to + " " + (operation == Operation.DEPLOY && !switchWhenAvailable
                        ? "ready as preview" : "serves") : why));
        return new DeployRecord(server, outcome, started, end, Duration.between(started, end).toMillis(), apiRequests,
                List.copyOf(changes), workloads, List.copyOf(rollbacks), List.copyOf(timeline), why,
                DeployRecord.BLUE_GREEN, target.app(), List.copyOf(events), allAnalyses());
    }

    private static String suffix(String s) {
        return s == null || s.isEmpty() ? "" : "; " + s;
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + " ms";
        }
        long s = d.toSeconds();
        return s % 60 == 0 && s > 0 ? (s / 60) + " min" : s + " s";
    }
}
