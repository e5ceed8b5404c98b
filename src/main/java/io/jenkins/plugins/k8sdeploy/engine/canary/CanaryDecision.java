package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a canary does next, as {@link CanaryDecider} decides it from what a tick observed: a value a test can compare.
 * {@link CanaryActions} carries it out; it is the only code that writes to the cluster or the record.
 */
sealed interface CanaryDecision {

    /** An event for the record (and the log) that goes with a decision. */
    record Note(StrategyEvent.Type type, Integer weight, String detail) {}

    /** Ends the rollout with this outcome, after {@code note} (null: none). */
    record Finish(DeployRecord.Outcome outcome, String failure, Note note) implements CanaryDecision {}

    /** Takes a command written on the stable Deployment once; logs {@code ignored} instead when not null. */
    record TakeCommand(String word, String refused, String ignored, CanaryDecision then) implements CanaryDecision {}

    /** Says on the stable Deployment that the driver is alive. */
    record Heartbeat(Instant at) implements CanaryDecision {}

    /** The command asks for nothing now; {@code line} (null: none) says why. */
    record Nothing(String line) implements CanaryDecision {}

    /** Call again after {@code next}. */
    record Wait(Duration next) implements CanaryDecision {}

    /** Something went wrong: abort when the rollout does so on failure, else finish failed. */
    record Fail(String reason, Note note) implements CanaryDecision {}

    /** Goes back to stable: the plan stops here. */
    record Abort(String reason, boolean requested, Note note) implements CanaryDecision {}

    /** The plan ended before a promotion: the canary stays where it is. */
    record PlanEnded() implements CanaryDecision {}

    /** A {@code weight} step begins: it must be reached by {@code deadline}. */
    record StartStep(int target, Instant deadline) implements CanaryDecision {}

    /** Deployments to scale, in this order. */
    record Scale(List<Replicas> moves) implements CanaryDecision {
        Scale(Replicas... moves) {
            this(List.of(moves));
        }
    }

    record Replicas(String deployment, int replicas) {}

    /** The router sends {@code target}% to the canary (written, then read back). */
    record RouteWeight(int target) implements CanaryDecision {}

    /** Without a router: the pods settled at {@code target}%; {@code note} (null: none) is logged first. */
    record Reached(int target, String note, String detail) implements CanaryDecision {}

    /** On to the next step, after {@code note} (null: none). */
    record NextStep(Note note) implements CanaryDecision {}

    record StartPause(Instant until, Duration duration) implements CanaryDecision {}

    /** Asks a person from {@code since}; {@code note} (null: none) comes first. */
    record AwaitApproval(String message, Instant since, Note note) implements CanaryDecision {}

    record StartAnalysis(String name) implements CanaryDecision {}

    /** Takes the measurements that are due; {@link CanaryDecider#verdict} decides on what they say. */
    record PollAnalysis(String name) implements CanaryDecision {}

    /** The rest of the plan is skipped: full promotion, after {@code note}. */
    record BeginPromotion(Note note) implements CanaryDecision {}

    /** Applies the app's manifest, kept on the canary, to the stable Deployment. */
    record ApplyPromotion(String manifest) implements CanaryDecision {}

    /** The promoted stable runs everywhere: the router sends it everything. */
    record ResetRouter() implements CanaryDecision {}

    /** The canary's pods are gone (or their time is up). */
    record Drained() implements CanaryDecision {}

    record CompletePromotion() implements CanaryDecision {}

    /** Traffic back to stable: scales the canary to 0 when it exists, the stable back to full when {@code stable}. */
    record IssueAbort(boolean canary, boolean stable) implements CanaryDecision {}

    /** Removes the canary; {@code late} (null: none) says that the stable did not get back to full in time. */
    record CompleteAbort(String late) implements CanaryDecision {}
}
