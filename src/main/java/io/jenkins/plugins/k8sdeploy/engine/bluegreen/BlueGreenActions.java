package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisFailed;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisInconclusive;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisPassed;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisRunning;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.CarryOutAnswer;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Done;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Fail;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.FailNewColour;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.KeepOldColour;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.PreviewReady;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.RefuseSwitch;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.ScaleDownExpired;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.ScaleDownOldNow;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StartAnalysis;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Switch;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.SwitchBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.SwitchWhenAvailable;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.SwitchedBackMeanwhile;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Verified;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.VerifiedBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForApproval;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForAvailability;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForEndpoints;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForScaleDown;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout.Operation;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout.Phase;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import io.jenkins.plugins.k8sdeploy.engine.strategy.AnalysisStep;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout.Tick;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries out a {@link BlueGreenDecision}: the only code of a tick that writes, to the cluster (selectors, replica
 * counts, annotations) and to the state (phase, times, the record's lines and events). A few decisions lead to one
 * more step in the same tick, as they always did: a verified switch reads the old colour's replicas to schedule its
 * scale-down ({@link BlueGreenDecider#scaleDown}), and a started analysis is polled at once.
 */
final class BlueGreenActions {
    private final KubeCluster cluster;
    private final Clock clock;
    private final Consumer<String> log;
    private final BlueGreenState s;
    private final BlueGreenPlan plan;
    private final BlueGreenTarget target;
    private final String ns;

    BlueGreenActions(KubeCluster cluster, Clock clock, Consumer<String> log, BlueGreenState state) {
        this.cluster = cluster;
        this.clock = clock;
        this.log = log;
        this.s = state;
        this.plan = state.plan;
        this.target = plan.target();
        this.ns = target.namespace();
    }

    /** Carries {@code d} out. Returns when to tick again, or {@code null}: observe and decide again now. */
    Tick apply(BlueGreenDecision d) throws DeployException {
        String to = plan.to();
        String from = plan.from();
        return switch (d) {
            case WaitForAvailability w -> waiting(w.line(), w.next());
            case SwitchWhenAvailable a -> {
                log("Deployment/" + target.deployment(to) + " (" + to + ") is available: " + a.status() + ".");
                s.phase = Phase.SWITCH;
                yield Tick.again(Duration.ZERO);
            }
            case PreviewReady p -> previewReady(p.status());
            case FailNewColour f -> failNewColour(f);
            case RefuseSwitch r -> throw new DeployException(r.message());
            case Switch w -> doSwitch(w);
            case WaitForEndpoints w -> waiting(w.line(), w.next());
            case Verified v -> verified(v);
            case Fail f -> fail(f.why());
            case CarryOutAnswer c -> {
                s.analysis.clearApproval();
                s.analysis.keep();
                yield c.proceed() ? scheduleScaleDown() : apply(new SwitchBack(c.reason()));
            }
            case SwitchedBackMeanwhile m -> {
                s.analysis.keep();
                s.analysis.approvalSince = null;
                String line = "Service " + target.activeService() + " no longer selects " + to + " ("
                        + (m.active() == null ? "no colour" : m.active()) + " serves): switched back meanwhile, so"
                        + " analysis '" + s.analysis.name + "' stopped.";
                log(line);
                s.rollbacks.add(line);
                yield fail(line);
            }
            case WaitForApproval w -> Tick.again(w.next());
            case StartAnalysis a -> startAnalysis();
            case AnalysisRunning r -> Tick.again(r.next());
            case AnalysisPassed p -> {
                event(StrategyEvent.Type.ANALYSIS, s.analysis.outcome(AnalysisPort.Status.SUCCESSFUL, p.message()));
                s.analysis.keep();
                yield scheduleScaleDown();
            }
            case AnalysisInconclusive i -> askApproval(i.message());
            case AnalysisFailed f -> {
                String name = s.analysis.name;
                event(StrategyEvent.Type.ANALYSIS, s.analysis.outcome(f.status(), f.message()));
                s.analysis.keep();
                yield apply(new SwitchBack("analysis '" + name + "' " + AnalysisStep.failure(f.status(),
                        f.message())));
            }
            case SwitchBack b -> switchBack(b.reason());
            case VerifiedBack v -> {
                log("The EndpointSlices of Service " + target.activeService() + " list only " + from + " pods again: "
                        + v.detail() + ".");
                yield fail(s.failure);
            }
            case ScaleDownOldNow n -> {
                BlueGreenCluster.scale(cluster, ns, target.deployment(from), 0, true);
                event(StrategyEvent.Type.SCALE_DOWN, null, "Scaled " + from + " (Deployment/" + target.deployment(from)
                        + ") to 0 replicas at once: the scale-down delay is 0.");
                yield succeed(null);
            }
            case KeepOldColour k -> keepOldColour(k);
            case ScaleDownExpired e -> {
                String name = target.deployment(e.colour());
                BlueGreenCluster.scale(cluster, ns, name, 0, true);
                String line = "Scaled " + e.colour() + " (Deployment/" + name + ") from " + e.replicas() + " to 0"
                        + " replicas: its scale-down time " + BlueGreenCluster.rfc3339(e.at()) + " has passed and "
                        + e.active() + " serves.";
                log(line);
                s.event(clock.instant(), StrategyEvent.Type.SCALE_DOWN, null, line);
                yield apply(e.then());
            }
            case WaitForScaleDown w -> {
                s.scaleDownAt = w.at();
                yield Tick.again(w.next());
            }
            case Done done -> s.finished() ? Tick.FINISHED : succeed(done.line());
        };
    }

    private Tick waiting(String line, Duration next) {
        if (line != null && !line.equals(s.lastLine)) {
            log(line);
            s.lastLine = line;
        }
        return Tick.again(next);
    }

    private Tick previewReady(String status) throws DeployException {
        String to = plan.to();
        String from = plan.from();
        log("Deployment/" + target.deployment(to) + " (" + to + ") is available: " + status + ".");
        log("Preview ready: Service " + target.previewService() + " selects " + to + "; " + from + " stays active"
                + " behind Service " + target.activeService() + ". Switch with blueGreenSwitch / k8spd bluegreen"
                + " switch " + target.app() + ".");
        s.event(clock.instant(), StrategyEvent.Type.PAUSE, plan.weightWhenActive(from),
                "preview ready; switch with blueGreenSwitch / k8spd bluegreen switch");
        return succeed(null);
    }

    /** The colour being brought up failed: scale it to zero; the active colour was never touched. */
    private Tick failNewColour(FailNewColour f) throws DeployException {
        String reason = f.reason() + (f.diagnose() == null ? "" : suffix(BlueGreenCluster.notReady(cluster,
                f.diagnose()))) + (f.eventsOf() == null ? "" : BlueGreenCluster.recentEvents(cluster, f.eventsOf()));
        String name = target.deployment(plan.to());
        String where = "Deployment/" + name + " in " + ns;
        log(where + " failed: " + reason + ".");
        if (BlueGreenCluster.deployment(cluster, ns, name) != null) {
            BlueGreenCluster.scale(cluster, ns, name, 0, true);
        }
        String from = plan.from();
        String serving = from == null ? "No colour was active before and nothing was switched"
                : "The active colour " + from + " (Service " + target.activeService() + ") is untouched and still"
                        + " serves";
        String line = serving + "; Deployment/" + name + " was scaled to 0.";
        log(line);
        s.event(clock.instant(), StrategyEvent.Type.ABORT, plan.weightWhenActive(from), where + " failed; " + from
                + " still serves");
        s.rollbacks.add(line);
        return fail(where + " failed: " + reason + ". " + line);
    }

    private Tick doSwitch(Switch w) throws DeployException {
        String to = plan.to();
        if (w.changeSelector()) {
            long t0 = System.nanoTime();
            BlueGreenCluster.select(cluster, ns, target.activeService(), to);
            s.switchNanos = System.nanoTime() - t0;
            boolean back = plan.operation() == Operation.SWITCH_BACK;
            event(back ? StrategyEvent.Type.SWITCH_BACK : StrategyEvent.Type.SWITCH, plan.weightWhenActive(to),
                    (back ? "Switched back" : "Switched") + " Service " + target.activeService()
                            + (w.current() == null ? "" : " from " + w.current()) + " to " + to
                            + ": one selector change (" + Duration.ofNanos(s.switchNanos).toMillis() + " ms).");
        } else if (plan.from() == null) {
            // A first deploy created the Service selecting the new colour: this is the moment it starts to serve.
            event(StrategyEvent.Type.SWITCH, plan.weightWhenActive(to), "Service " + target.activeService() + " points at "
                    + to + " (it was created selecting it).");
        } else {
            log("Service " + target.activeService() + " already selects " + to + ".");
        }
        Map<String, String> annotations = new HashMap<>();
        annotations.put(Colours.HAS_SERVED, "true");
        annotations.put(Colours.SCALE_DOWN_AT, null);
        BlueGreenCluster.annotate(cluster, ns, target.deployment(to), annotations);
        if (w.movePreview()) {
            String other = Colours.other(to);
            BlueGreenCluster.select(cluster, ns, target.previewService(), other);
            log("Service " + target.previewService() + " now selects " + other + " (the colour not active).");
        }
        s.phase = Phase.VERIFY;
        s.verifyDeadline = clock.instant().plus(BlueGreenDecider.VERIFY_BOUND);
        s.lastLine = null;
        return Tick.again(Duration.ZERO);
    }

    private Tick verified(Verified v) throws DeployException {
        String to = plan.to();
        String from = plan.from();
        log("The EndpointSlices of Service " + target.activeService() + " list only " + to + " pods: " + v.detail()
                + ".");
        if (plan.plainDeploymentExists()) {
            log("Deployment/" + target.app() + " (from before blue-green) was left untouched; Service "
                    + target.activeService() + " no longer selects its pods. Delete it when it is no longer needed.");
        }
        return switch (v.next()) {
            case DONE -> succeed(null);
            case ANALYSE -> {
                s.phase = Phase.ANALYSIS;
                s.lastLine = null;
                log(from + " (Deployment/" + target.deployment(from) + ") keeps its pods while analysis '"
                        + s.analysis.name + "' of " + to + " runs; it is scheduled for scale-down only when the"
                        + " analysis passed.");
                yield null;
            }
            case SCALE_DOWN -> scheduleScaleDown();
        };
    }

    /** Reads the old colour's replicas, then lets the decider say how its scale-down goes. */
    private Tick scheduleScaleDown() throws DeployException {
        Deployment old = BlueGreenCluster.deployment(cluster, ns, target.deployment(plan.from()));
        return apply(BlueGreenDecider.scaleDown(BlueGreenCluster.replicas(old), plan, clock.instant()));
    }

    private Tick keepOldColour(KeepOldColour k) throws DeployException {
        String from = plan.from();
        s.scaleDownAt = k.until();
        BlueGreenCluster.annotate(cluster, ns, target.deployment(from),
                Map.of(Colours.SCALE_DOWN_AT, BlueGreenCluster.rfc3339(k.until())));
        log(from + " (Deployment/" + target.deployment(from) + ") keeps its " + k.replicas() + " replicas until "
                + BlueGreenCluster.rfc3339(k.until()) + " (scale-down delay "
                + BlueGreenDecider.format(plan.scaleDownDelay()) + "), so switching back is instant until then.");
        if (k.waits()) {
            s.phase = Phase.WAIT_SCALE_DOWN;
            return Tick.again(k.next());
        }
        return succeed(null);
    }

    private Tick startAnalysis() throws DeployException {
        PostSwitchAnalysis a = s.analysis;
        Instant now = clock.instant();
        try {
            a.start(BlueGreenObservation.analysisServices(cluster, plan), now);
        } catch (DeployException e) {
            event(StrategyEvent.Type.ANALYSIS, "Analysis '" + a.name + "' could not start: " + e.getMessage());
            return apply(new SwitchBack("analysis '" + a.name + "' could not start: " + e.getMessage()));
        }
        event(StrategyEvent.Type.ANALYSIS, "Analysis '" + a.name + "' of " + plan.to() + " against " + plan.from()
                + " started.");
        return apply(PostSwitchAnalysis.judge(BlueGreenObservation.poll(a, now)));
    }

    private Tick askApproval(String message) {
        String to = plan.to();
        String from = plan.from();
        PostSwitchAnalysis a = s.analysis;
        event(StrategyEvent.Type.ANALYSIS, a.outcome(AnalysisPort.Status.INCONCLUSIVE, message));
        a.askApproval(clock.instant(), "Analysis '" + a.name + "' of " + to + " was inconclusive; " + to + " serves"
                + " and " + from + " keeps its pods. Keep " + to + " (proceed) or switch back to " + from
                + " (abort)?");
        event(StrategyEvent.Type.APPROVAL_WAIT, a.approvalMessage + " Switching back by hand: k8spd bluegreen switch"
                + " --rollback " + target.app() + " -n " + ns + " (or blueGreenSwitch rollback: true).");
        return Tick.again(PostSwitchAnalysis.APPROVAL_POLL);
    }

    /**
     * Switches the active Service back to the old colour in this tick (it still has its pods: nothing scheduled it
     * for scale-down), the preview Service to the new one, and schedules the new one for scale-down after the delay.
     */
    private Tick switchBack(String reason) throws DeployException {
        String to = plan.to();
        String from = plan.from();
        long t0 = System.nanoTime();
        BlueGreenCluster.select(cluster, ns, target.activeService(), from);
        long nanos = System.nanoTime() - t0;
        Instant at = clock.instant();
        String line = "Switched Service " + target.activeService() + " back from " + to + " to " + from + " ("
                + Duration.ofNanos(nanos).toMillis() + " ms): " + reason;
        s.event(at, StrategyEvent.Type.SWITCH_BACK, plan.weightWhenActive(from), line);
        s.note(at, line);
        log.accept(line);
        s.rollbacks.add(line);
        s.failure = "Analysis '" + s.analysis.name + "' of " + to + " did not pass (" + reason + "); switched Service "
                + target.activeService() + " back to " + from + ".";
        if (BlueGreenCluster.service(cluster, ns, target.previewService()) != null) {
            BlueGreenCluster.select(cluster, ns, target.previewService(), to);
        }
        Deployment left = BlueGreenCluster.deployment(cluster, ns, target.deployment(to));
        if (left != null && BlueGreenCluster.replicas(left) > 0) {
            Duration delay = plan.scaleDownDelay();
            s.scaleDownAt = at.plus(delay.isNegative() ? Duration.ZERO : delay);
            BlueGreenCluster.annotate(cluster, ns, target.deployment(to),
                    Map.of(Colours.SCALE_DOWN_AT, BlueGreenCluster.rfc3339(s.scaleDownAt)));
            log(to + " (Deployment/" + target.deployment(to) + ") keeps its pods for inspection until "
                    + BlueGreenCluster.rfc3339(s.scaleDownAt) + "; the next deploy or switch of " + target.app()
                    + " scales it down after that.");
        }
        s.phase = Phase.VERIFY_BACK;
        s.verifyDeadline = at.plus(BlueGreenDecider.VERIFY_BOUND);
        s.lastLine = null;
        return Tick.again(BlueGreenDecider.VERIFY_POLL);
    }

    /** Done: the active colour is read for the last line. */
    Tick succeed(String line) throws DeployException {
        if (line != null) {
            log(line);
        }
        s.phase = Phase.SUCCEEDED;
        s.after = workloadState();
        s.finished = clock.instant();
        String serving = BlueGreenCluster.activeColour(cluster, target);
        log(switch (plan.operation()) {
            case DEPLOY -> "Blue-green deploy of " + target.app() + " finished";
            case SWITCH -> "Switch of " + target.app() + " finished";
            case SWITCH_BACK -> "Switch back of " + target.app() + " finished";
        } + ": " + (serving == null ? "no colour" : serving) + " serves.");
        return Tick.FINISHED;
    }

    Tick fail(String why) throws DeployException {
        s.analysis.keep();
        s.phase = Phase.FAILED;
        s.failure = why;
        s.after = workloadState();
        s.finished = clock.instant();
        return Tick.FINISHED;
    }

    private WorkloadState workloadState() throws DeployException {
        var live = cluster.get(ResourceKind.DEPLOYMENT, ns, target.deployment(plan.to()));
        return live == null ? WorkloadState.NONE : WorkloadState.of(live);
    }

    /** A line for the log and the timeline. */
    void log(String line) {
        s.note(clock.instant(), line);
        log.accept(line);
    }

    /** An event with the new version's weight now, and its line in the timeline and the log, at one time. */
    private void event(StrategyEvent.Type type, String detail) {
        event(type, plan.weightWhenActive(plan.to()), detail);
    }

    private void event(StrategyEvent.Type type, Integer weight, String detail) {
        Instant at = clock.instant();
        s.event(at, type, weight, detail);
        s.note(at, detail);
        log.accept(detail);
    }

    private static String suffix(String s) {
        return s == null || s.isEmpty() ? "" : "; " + s;
    }
}
