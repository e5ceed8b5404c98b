package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenCluster.Endpoints;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AfterSwitch;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Done;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Fail;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.FailNewColour;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.KeepOldColour;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.PreviewReady;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.RefuseSwitch;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.ScaleDownExpired;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.ScaleDownOldNow;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAndLeave;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAndScaleDownNew;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAndSwitchBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAsIs;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopCheckingSwitchBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopWaitingForScaleDown;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Switch;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.SwitchWhenAvailable;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Verified;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.VerifiedBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForAvailability;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForEndpoints;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForScaleDown;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenObservation.ColourView;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenObservation.NewColour;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout.Operation;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout.Phase;
import io.jenkins.plugins.k8sdeploy.engine.rollout.PodDiagnosis;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a blue-green tick does: a pure function of what it observed, the state and (in the state) a person's answer;
 * the time is the observation's. No cluster, no clock, no writes: {@link BlueGreenActions} carries the decision out.
 *
 * <p>For example, blue serves and green may take until 12:02 to be available. At 12:00:30 green's Deployment says
 * "2 of 3 updated replicas are available" → {@code WaitForAvailability("Waiting for Deployment/web-green (green): 2 of
 * 3 ...", 1 s)}; at 12:01:59.700, still → the same line, in 300 ms; at 12:02, still → {@code FailNewColour("did not
 * become available within 2 min; still 2 of 3 ...")}. Had it said "3 of 3" at 12:01, with a plan that switches →
 * {@code SwitchWhenAvailable}, and the next tick, with the active Service selecting blue and the preview green →
 * {@code Switch("blue", true, true)}. {@code BlueGreenDeciderTest} has these rows and the others.
 */
final class BlueGreenDecider {
    /** How long the EndpointSlices may take to follow a selector change before the switch is reported failed. */
    static final Duration VERIFY_BOUND = Duration.ofSeconds(30);
    static final Duration VERIFY_POLL = Duration.ofMillis(100);
    static final Duration SCALE_DOWN_POLL = Duration.ofSeconds(2);

    private BlueGreenDecider() {}

    static BlueGreenDecision decide(BlueGreenObservation seen, BlueGreenState state) {
        BlueGreenPlan plan = state.plan;
        return switch (state.phase) {
            case WAIT_AVAILABLE -> waitAvailable(seen.newColour(), plan, state.deadline, seen.now());
            case SWITCH -> doSwitch(seen, plan);
            case VERIFY -> verify(seen.endpoints(), plan, state, seen.now());
            case ANALYSIS -> PostSwitchAnalysis.decide(state.analysis, plan.to(),
                    seen.services() == null ? null : seen.services().active(), seen.analysis(), seen.now());
            case VERIFY_BACK -> verifyBack(seen.endpoints(), plan, state, seen.now());
            case WAIT_SCALE_DOWN -> waitScaleDown(seen.services().active(), seen.colours(), plan, seen.now());
            case SUCCEEDED, FAILED -> new Done(null);
        };
    }

    static BlueGreenDecision waitAvailable(NewColour colour, BlueGreenPlan plan, Instant deadline, Instant now) {
        if (!colour.exists()) {
            return new FailNewColour("was deleted while it was being waited for", null, null);
        }
        RolloutStatus s = colour.status();
        if (s.isDone()) {
            return plan.switchWhenAvailable() ? new SwitchWhenAvailable(s.message()) : new PreviewReady(s.message());
        }
        if (s.isFailed()) {
            return new FailNewColour(s.message(), colour.pods(), null);
        }
        Optional<PodDiagnosis.Doom> doom = PodDiagnosis.allDoomed(colour.pods());
        if (doom.isPresent()) {
            return new FailNewColour(doom.get().reason(), null, doom.get().pod());
        }
        if (!now.isBefore(deadline)) {
            return new FailNewColour("did not become available within " + format(plan.timeout()) + "; still "
                    + s.message(), colour.pods(), null);
        }
        Duration left = Duration.between(now, deadline);
        return new WaitForAvailability("Waiting for Deployment/" + plan.target().deployment(plan.to()) + " ("
                + plan.to() + "): " + s.message() + ".", left.compareTo(Rollouts.POLL) < 0 ? left : Rollouts.POLL);
    }

    static BlueGreenDecision doSwitch(BlueGreenObservation seen, BlueGreenPlan plan) {
        BlueGreenTarget t = plan.target();
        if (!seen.services().activeExists()) {
            return new RefuseSwitch("Service/" + t.activeService() + " does not exist in namespace " + t.namespace()
                    + ", so there is nothing to switch. Expected the active Service of " + t.app()
                    + " (deploy it with its manifests first).");
        }
        String current = seen.services().active();
        boolean change = !plan.to().equals(current);
        if (change && !seen.newColour().status().isDone()) {
            return new RefuseSwitch(refusal(t, plan.to(), current, seen.newColour().status()));
        }
        String other = Colours.other(plan.to());
        return new Switch(current, change, seen.services().previewExists()
                && !other.equals(seen.services().preview()));
    }

    static String refusal(BlueGreenTarget target, String to, String current, RolloutStatus s) {
        return "Refused to switch Service " + target.activeService() + " to " + to + ": Deployment/"
                + target.deployment(to) + " in " + target.namespace() + " is not fully available (" + s.message()
                + "). Nothing was changed" + (current == null ? "." : "; " + current + " still serves.")
                + " Expected every replica of " + to + " updated and available first: wait for the deploy"
                + " (k8spd bluegreen status " + target.app() + ") or deploy again.";
    }

    static BlueGreenDecision verify(Endpoints e, BlueGreenPlan plan, BlueGreenState state, Instant now) {
        BlueGreenTarget t = plan.target();
        if (!e.ok()) {
            if (!now.isBefore(state.verifyDeadline)) {
                String kept = plan.from() == null ? ""
                        : " " + plan.from() + " keeps its pods: it is not scheduled for scale-down.";
                return new Fail("Service " + t.activeService() + " in " + t.namespace() + " selects " + plan.to()
                        + ", but after " + format(VERIFY_BOUND) + " its EndpointSlices (label "
                        + BlueGreenCluster.SERVICE_NAME_LABEL + "=" + t.activeService() + ") do not show it: "
                        + e.detail() + ". Expected the endpointslice controller to follow the selector." + kept);
            }
            return new WaitForEndpoints("Waiting for the EndpointSlices of Service " + t.activeService() + ": "
                    + e.detail() + ".", VERIFY_POLL);
        }
        AfterSwitch next = !plan.replacesAColour() ? AfterSwitch.DONE
                : state.analysis.name != null && plan.operation() != Operation.SWITCH_BACK ? AfterSwitch.ANALYSE
                : AfterSwitch.SCALE_DOWN;
        return new Verified(e.detail(), next);
    }

    static BlueGreenDecision verifyBack(Endpoints e, BlueGreenPlan plan, BlueGreenState state, Instant now) {
        if (e.ok()) {
            return new VerifiedBack(e.detail());
        }
        if (!now.isBefore(state.verifyDeadline)) {
            return new Fail(state.failure + " But after " + format(VERIFY_BOUND) + " its EndpointSlices do not show "
                    + plan.from() + ": " + e.detail() + ".");
        }
        return new WaitForEndpoints(null, VERIFY_POLL);
    }

    /**
     * The new colour serves for good: the old one, with {@code oldReplicas} pods, is scaled down after the delay (at
     * once with no delay; nothing to do when it has none).
     */
    static BlueGreenDecision scaleDown(int oldReplicas, BlueGreenPlan plan, Instant now) {
        if (oldReplicas == 0) {
            return new Done(null);
        }
        if (plan.scaleDownDelay().isZero() || plan.scaleDownDelay().isNegative()) {
            return new ScaleDownOldNow();
        }
        Instant at = now.plus(plan.scaleDownDelay());
        return new KeepOldColour(at, oldReplicas, plan.waitForScaleDown(),
                plan.waitForScaleDown() ? untilScaleDown(now, at) : null);
    }

    /**
     * Waiting for the old colour's scale-down: a colour that does not serve and whose time has passed is scaled
     * down first (the old one, or the new one when the old serves again); then done once the old colour has no pods,
     * serves again, or is no longer scheduled; else wait.
     */
    static BlueGreenDecision waitScaleDown(String active, Map<String, ColourView> colours, BlueGreenPlan plan,
            Instant now) {
        String from = plan.from();
        String expired = null;
        if (active != null) {
            for (String colour : List.of(Colours.BLUE, Colours.GREEN)) {
                Instant at = colours.get(colour).scaleDownAt();
                if (!colour.equals(active) && at != null && !at.isAfter(now)) {
                    expired = colour;
                }
            }
        }
        ColourView old = from.equals(expired) ? new ColourView(0, null) : colours.get(from);
        BlueGreenDecision then;
        if (old.replicas() == 0) {
            then = new Done(null);
        } else if (from.equals(active)) {
            then = new Done(from + " is active again (switched back meanwhile), so it is not scaled down.");
        } else if (old.scaleDownAt() == null) {
            then = new Done(from + " is no longer scheduled for scale-down; it keeps its replicas.");
        } else {
            then = new WaitForScaleDown(old.scaleDownAt(), untilScaleDown(now, old.scaleDownAt()));
        }
        if (expired == null) {
            return then;
        }
        ColourView e = colours.get(expired);
        return new ScaleDownExpired(expired, e.replicas(), e.scaleDownAt(), active, then);
    }

    /** When to look again for a scale-down due at {@code at}: just after it, at most {@link #SCALE_DOWN_POLL}. */
    static Duration untilScaleDown(Instant now, Instant at) {
        Duration left = Duration.between(now, at).plusMillis(20);
        return left.isNegative() ? Duration.ZERO : left.compareTo(SCALE_DOWN_POLL) > 0 ? SCALE_DOWN_POLL : left;
    }

    /**
     * What a stop from outside does. {@code active}: the colour the active Service selects; {@code oldColour}: whether
     * the old colour can serve, read only when rolling back from the new colour to it ({@code null} otherwise).
     */
    static BlueGreenDecision.Stop stop(BlueGreenState state, boolean rollBack, String active, RolloutStatus oldColour) {
        BlueGreenPlan plan = state.plan;
        if (state.phase == Phase.WAIT_SCALE_DOWN) {
            return new StopWaitingForScaleDown();
        }
        if (state.phase == Phase.VERIFY_BACK) {
            return new StopCheckingSwitchBack();
        }
        if (!rollBack) {
            return new StopAndLeave(active);
        }
        if (plan.to().equals(active) && plan.replacesAColour() && oldColour != null && oldColour.isDone()) {
            return new StopAndSwitchBack();
        }
        if (!plan.to().equals(active) && plan.operation() != Operation.SWITCH) {
            return new StopAndScaleDownNew(active);
        }
        return new StopAsIs(active);
    }

    /** Whether a stop reads the old colour's availability: rolling back from the new colour, which serves. */
    static boolean stopReadsOldColour(BlueGreenState state, boolean rollBack, String active) {
        return rollBack && state.plan.to().equals(active) && state.plan.replacesAColour();
    }

    /** "30 s", "5 min", "1500 ms". */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + " ms";
        }
        long s = d.toSeconds();
        return s % 60 == 0 && s > 0 ? (s / 60) + " min" : s + " s";
    }
}
