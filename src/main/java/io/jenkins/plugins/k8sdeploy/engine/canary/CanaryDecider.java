package io.jenkins.plugins.k8sdeploy.engine.canary;

import static io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRollout.format;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Abort;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.ApplyPromotion;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.AwaitApproval;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.BeginPromotion;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.CompleteAbort;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.CompletePromotion;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Drained;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Fail;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Finish;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Heartbeat;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.IssueAbort;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.NextStep;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Note;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Nothing;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.PlanEnded;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.PollAnalysis;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Reached;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Replicas;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.ResetRouter;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.RouteWeight;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Scale;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.StartAnalysis;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.StartPause;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.StartStep;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.TakeCommand;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Wait;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryObservation.Workload;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRollout.Phase;
import io.jenkins.plugins.k8sdeploy.engine.canary.ReplicaMath.Split;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import io.jenkins.plugins.k8sdeploy.engine.strategy.AnalysisStep;
import io.jenkins.plugins.k8sdeploy.engine.strategy.ApprovalGate;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canary's decisions: what to do next, from what a tick observed, the rollout's state and the time. Pure: it reads
 * the state and never writes it, nor the cluster ({@link CanaryActions} does). The order of a tick:
 *
 * <ol>
 *   <li>the stable Deployment is gone, or another revision or driver took the canary over: finish;
 *   <li>a command written on it from outside: take it (promote past a pause or approval, promote fully, abort);
 *   <li>a heartbeat every {@link #HEARTBEAT_EVERY};
 *   <li>the phase: the plan's current step, the promotion, or the abort.
 * </ol>
 */
final class CanaryDecider {
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(15);

    private CanaryDecider() {}

    static CanaryDecision decide(CanaryObservation seen, CanaryRollout r, Instant now) {
        CanaryDecision ends = ownership(seen, r);
        if (ends != null) {
            return ends;
        }
        String command = seen.stableAnnotations().get(CanaryState.COMMAND);
        if (command != null) {
            return command(r, CanaryState.Command.parse(command), now);
        }
        if (r.lastHeartbeat == null || !now.isBefore(r.lastHeartbeat.plus(HEARTBEAT_EVERY))) {
            return new Heartbeat(now);
        }
        return switch (r.phase) {
            case STEPS -> steps(seen, r, now);
            case PROMOTING -> promoting(seen, r, now);
            case ABORTING -> aborting(seen, r, now);
            case DONE -> new Wait(Duration.ZERO);
        };
    }

    /** The stable Deployment was deleted, or a newer revision or another driver has the canary now; else null. */
    private static CanaryDecision ownership(CanaryObservation seen, CanaryRollout r) {
        if (seen.stable() == null) {
            return new Finish(DeployRecord.Outcome.FAILED, "Deployment/" + r.app + " in " + r.namespace + " was deleted"
                    + " while its canary was in progress.", null);
        }
        Map<String, String> a = seen.stableAnnotations();
        if (!r.revision.equals(a.get(CanaryState.REVISION))) {
            return new Finish(DeployRecord.Outcome.FAILED, "Superseded: a newer revision of " + r.app + " started its own"
                    + " canary.", new Note(StrategyEvent.Type.SUPERSEDED, null, "The canary of revision " + r.revision
                            + " was replaced" + (a.containsKey(CanaryState.REVISION) ? " by revision "
                                    + a.get(CanaryState.REVISION) : "")
                            + "; this run stops here and leaves the canary to the newer deploy."));
        }
        String who = a.getOrDefault(CanaryState.DRIVER, "someone else");
        if (!r.driver.equals(a.get(CanaryState.DRIVER)) && CanaryState.ABORTING.equals(a.get(CanaryState.PHASE))) {
            return new Finish(DeployRecord.Outcome.ABORTED, "The canary was aborted on request (by " + who + ").",
                    new Note(StrategyEvent.Type.ABORT, r.weight, "Abort requested by " + who + ", which aborts the canary"
                            + " of " + r.app + " itself: this run did not take the request in time."));
        }
        if (!r.driver.equals(a.get(CanaryState.DRIVER))) {
            return new Finish(DeployRecord.Outcome.FAILED, "The canary of " + r.app + " was taken over by " + who
                    + "; this run stops here.", null);
        }
        return null;
    }

    /** A command written on the stable Deployment: ignored when expired or refused, else what it asks for now. */
    static TakeCommand command(CanaryRollout r, CanaryState.Command command, Instant now) {
        String word = command.word();
        if (command.expired(now)) {
            return new TakeCommand(word, null, "Ignored '" + word + "' written on Deployment/" + r.app + " at "
                    + command.at() + ": it expired at " + command.expires() + ", when its writer stopped waiting for"
                    + " it.", new Nothing(null));
        }
        String refused = refusal(r, word);
        return refused != null ? new TakeCommand(word, refused, refused, new Nothing(null))
                : new TakeCommand(word, null, null, take(r, word));
    }

    /** Why a command from outside is refused, or null: a promotion past an approval that only Jenkins decides. */
    private static String refusal(CanaryRollout r, String command) {
        boolean promotes = command.equals(CanaryState.PROMOTE) && r.awaiting
                || command.equals(CanaryState.PROMOTE_FULL) && r.phase == Phase.STEPS && approvalAheadOrWaiting(r);
        if (r.approvalsOnlyBy == null || !promotes) {
            return null;
        }
        return "Ignored '" + command + "' written on Deployment/" + r.app + ": the approval of this canary is decided"
                + " only in Jenkins (" + r.driver + "), by " + r.approvalsOnlyBy + " or an administrator.";
    }

    /** True when an approval is waiting now or is still ahead in the plan (or before promotion). */
    private static boolean approvalAheadOrWaiting(CanaryRollout r) {
        return r.awaiting || r.plan.steps().subList(Math.min(r.step, r.plan.steps().size()), r.plan.steps().size())
                .stream().anyMatch(s -> s instanceof CanaryPlan.Approval);
    }

    /** What a command from outside does: promote past a pause or approval, promote fully, or abort. */
    private static CanaryDecision take(CanaryRollout r, String command) {
        boolean steps = r.phase == Phase.STEPS;
        return switch (command) {
            case CanaryState.ABORT -> steps || r.phase == Phase.PROMOTING && !r.promoteApplied
                    ? new Abort("aborted on request", true, null) : new Nothing(null);
            case CanaryState.PROMOTE_FULL -> steps ? new BeginPromotion(new Note(StrategyEvent.Type.PROMOTE, r.weight,
                    "Full promotion requested; skipping the rest of the plan.")) : new Nothing(null);
            case CanaryState.PROMOTE -> steps && (r.awaiting || r.pauseUntil != null)
                    ? new NextStep(new Note(r.awaiting ? StrategyEvent.Type.APPROVED : StrategyEvent.Type.RESUME, r.weight,
                            "Promoted past '" + r.plan.steps().get(r.step) + "' on request."))
                    : new Nothing(steps ? "A promotion was requested while the canary was not paused; it carries on"
                            + " with its plan." : null);
            default -> new Nothing("Ignoring unknown canary command '" + command + "'.");
        };
    }

    /** A person's answer to the approval that waits (from Jenkins' build page). */
    static CanaryDecision approval(CanaryRollout r, Approval.Decision d) {
        if (r.phase != Phase.STEPS || !r.awaiting || !r.approvalId().equals(d.approvalId())) {
            return new Nothing(ApprovalGate.notWaiting(d));
        }
        String by = ApprovalGate.by(d);
        return d.proceed() ? new NextStep(new Note(StrategyEvent.Type.APPROVED, r.weight, "Approved" + by + "."))
                : new Abort("rejected" + by, true, new Note(StrategyEvent.Type.REJECTED, r.weight, "Rejected" + by + "."));
    }

    private static CanaryDecision steps(CanaryObservation seen, CanaryRollout r, Instant now) {
        if (seen.canary() == null) {
            return new Finish(DeployRecord.Outcome.FAILED, "Deployment/" + r.canaryName + " was deleted while the canary was"
                    + " in progress.", null);
        }
        if (seen.doomed() != null) {
            return new Fail("The canary cannot run: " + seen.doomed() + ".", null);
        }
        if (r.step >= r.plan.steps().size()) {
            return new PlanEnded();
        }
        return switch (r.plan.steps().get(r.step)) {
            case CanaryPlan.SetWeight w -> weight(seen, r, w.weight(), now);
            case CanaryPlan.Pause p -> r.pauseUntil == null ? new StartPause(now.plus(p.duration()), p.duration())
                    : !now.isBefore(r.pauseUntil)
                            ? new NextStep(new Note(StrategyEvent.Type.RESUME, r.weight, "Pause over."))
                    : new Wait(atMostPoll(Duration.between(now, r.pauseUntil)));
            case CanaryPlan.Approval ignored -> approval(r, now, "Promote the canary of " + r.app + " beyond "
                    + r.weight + "%?");
            case CanaryPlan.Analysis an -> r.awaiting ? approval(r, now, "")
                    : r.analysisRun == null ? new StartAnalysis(an.name()) : new PollAnalysis(an.name());
            case CanaryPlan.Promote ignored -> new BeginPromotion(new Note(StrategyEvent.Type.PROMOTE, r.weight,
                    "Promoting the canary fully."));
        };
    }

    /** Waiting for a person: asks once, then waits until someone decides or the policy's timeout decides. */
    private static CanaryDecision approval(CanaryRollout r, Instant now, String why) {
        Approval.Policy policy = r.approvalPolicy;
        if (!r.awaiting) {
            return new AwaitApproval(policy.message() != null ? policy.message() : why, now, null);
        }
        if (ApprovalGate.check(policy, r.approvalSince, now) instanceof ApprovalGate.Waiting w) {
            return new Wait(w.next()); // a command from outside is taken within a tick
        }
        String what = "No decision within " + format(policy.timeout());
        return policy.proceedOnTimeout()
                ? new NextStep(new Note(StrategyEvent.Type.APPROVED, r.weight, what + ": proceeding, as configured."))
                : new Fail(what + " on '" + r.approvalMessage + "'.", null);
    }

    /** What the running analysis said: wait for its next measurement, go on, ask a person, or fail. */
    static CanaryDecision verdict(CanaryRollout r, String name, AnalysisPort.Verdict v, Duration next, Instant now) {
        String analysis = "Analysis '" + name + "' ";
        return switch (v.status()) {
            // the analysis measures when due; a command from outside is taken meanwhile
            case RUNNING -> new Wait(atMostPoll(next));
            case SUCCESSFUL -> new NextStep(new Note(StrategyEvent.Type.ANALYSIS, r.weight, AnalysisStep.outcome(name, v)));
            case INCONCLUSIVE -> new AwaitApproval(r.approvalPolicy.message() != null ? r.approvalPolicy.message()
                    : analysis + "was inconclusive; a person decides.", now,
                    new Note(StrategyEvent.Type.ANALYSIS, r.weight, AnalysisStep.outcome(name, v)));
            case FAILED, ERROR -> new Fail(analysis + AnalysisStep.failure(v.status(), v.message()),
                    new Note(StrategyEvent.Type.ANALYSIS, r.weight, AnalysisStep.outcome(name, v)));
        };
    }

    /**
     * A {@code weight} step. Without a router the pods are the weight: scale both Deployments towards the split
     * within the surge and unavailability limits ({@link ReplicaMath#next}), until both settle. With a router, going
     * up starts the canary's pods first and moves traffic once they are ready; going down moves traffic first.
     */
    private static CanaryDecision weight(CanaryObservation seen, CanaryRollout r, int target, Instant now) {
        if (r.stepDeadline == null) {
            return new StartStep(target, now.plus(r.timeout));
        }
        Workload stable = seen.stable();
        Workload canary = seen.canary();
        if (r.router == null) {
            Split want = ReplicaMath.split(r.total, target);
            if (r.hpa) {
                want = new Split(stable.replicas(), want.canary());
            }
            Split current = new Split(stable.replicas(), canary.replicas());
            Split next = r.hpa ? want : ReplicaMath.next(r.total, r.maxSurge, r.maxUnavailable, current,
                    new Split(stable.available(), canary.available()), want);
            if (!next.equals(current)) {
                List<Replicas> moves = new ArrayList<>();
                if (next.canary() != current.canary()) {
                    moves.add(new Replicas(r.canaryName, next.canary()));
                }
                if (next.stable() != current.stable()) {
                    moves.add(new Replicas(r.app, next.stable()));
                }
                return new Scale(moves);
            }
            if (settled(r, stable, want.stable()) && settled(r, canary, want.canary())) {
                return new Reached(target, want.canary() == 0 && target > 0 ? "Note: " + target + "% of " + r.total
                        + " pods rounds to no canary pod; this step sends the canary nothing." : null,
                        "Canary at " + target + "%: " + canary.available() + " canary and " + stable.available()
                                + " stable pods ready" + (r.hpa ? " (stable sized by its HorizontalPodAutoscaler)" : "")
                                + "; " + ReplicaMath.split(r.total, target).canary() + " of " + r.total + " wanted.");
            }
        } else {
            int pods = ReplicaMath.canaryPodsWithRouter(r.total, target);
            if (target < r.weight) {
                return new RouteWeight(target); // going down: traffic first, then pods
            }
            if (canary.replicas() != pods && (pods > canary.replicas() || target <= r.weight)) {
                return new Scale(new Replicas(r.canaryName, pods));
            }
            if (settled(r, canary, pods)) {
                // going up: pods first, then traffic
                return target != r.weight ? new RouteWeight(target) : new NextStep(null);
            }
        }
        if (!now.isBefore(r.stepDeadline)) {
            return new Fail("The canary did not reach " + target + "% within " + format(r.timeout) + ": "
                    + canary.status().message() + " (canary), " + stable.available() + " of " + stable.replicas()
                    + " stable pods available.", null);
        }
        return new Wait(Rollouts.POLL);
    }

    /**
     * Full promotion: the app's manifest (kept on the canary) is applied to the stable Deployment; once it has rolled
     * out, the router sends it everything, the canary is scaled to 0 and its pods go, then it is removed.
     */
    private static CanaryDecision promoting(CanaryObservation seen, CanaryRollout r, Instant now) {
        if (!r.promoteApplied) {
            return seen.promotionManifest() == null ? new Finish(DeployRecord.Outcome.FAILED, "Deployment/" + r.canaryName
                    + " or its " + CanaryState.STABLE_MANIFEST + " annotation is gone; cannot promote.", null)
                    : new ApplyPromotion(seen.promotionManifest());
        }
        RolloutStatus status = seen.stable().status();
        if (status.isFailed() || !status.isDone() && !now.isBefore(r.stepDeadline)) {
            return new Finish(DeployRecord.Outcome.FAILED, "Promotion of " + r.app + " did not finish: " + status.message()
                    + ". The canary Deployment is kept; roll back with k8sRollback if needed.", null);
        }
        if (!status.isDone()) {
            return new Wait(Rollouts.POLL);
        }
        if (r.canaryDrained) {
            return new CompletePromotion();
        }
        if (r.router != null && r.weight > 0) {
            return new ResetRouter();
        }
        if (seen.canary() != null && seen.canary().replicas() != 0) {
            return new Scale(new Replicas(r.canaryName, 0));
        }
        return seen.canaryPods() > 0 && now.isBefore(r.stepDeadline) ? new Wait(Rollouts.POLL) : new Drained();
    }

    /** The abort: traffic back to stable once, then wait for the canary's pods to go and the stable to be full. */
    private static CanaryDecision aborting(CanaryObservation seen, CanaryRollout r, Instant now) {
        if (!r.abortIssued) {
            return issueAbort(seen, r);
        }
        boolean canaryGone = seen.canaryPods() == 0;
        boolean stableBack = r.hpa || r.router != null || seen.stable().available() >= r.total;
        if (canaryGone && stableBack || !now.isBefore(r.stepDeadline)) {
            return new CompleteAbort(canaryGone && stableBack ? null : "The stable Deployment did not get back to "
                    + r.total + " available pods within " + format(r.timeout) + " (" + seen.stable().available()
                    + " available).");
        }
        return new Wait(Rollouts.POLL);
    }

    /** Scale the canary to 0 (when it exists) and, without a router or autoscaler, the stable back to full. */
    static IssueAbort issueAbort(CanaryObservation seen, CanaryRollout r) {
        int stable = seen.stable() == null ? 0 : seen.stable().replicas();
        return new IssueAbort(seen.canary() != null, r.router == null && !r.hpa && stable != r.total);
    }

    /** Spec replicas, status caught up, that many available and no more pods: the count has settled. */
    static boolean settled(CanaryRollout r, Workload d, int want) {
        if (d == null) {
            return want == 0;
        }
        Long scaled = r.scaledGeneration == null ? null : r.scaledGeneration.get(d.name());
        long seen = scaled != null ? scaled : d.generation();
        boolean caughtUp = d.observedGeneration() != null && d.observedGeneration() >= seen;
        return caughtUp && d.replicas() == want && d.available() >= want && d.statusReplicas() == want;
    }

    private static Duration atMostPoll(Duration d) {
        return d.compareTo(Rollouts.POLL) < 0 ? d : Rollouts.POLL;
    }
}
