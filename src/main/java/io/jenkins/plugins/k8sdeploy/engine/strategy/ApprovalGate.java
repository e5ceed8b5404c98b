package io.jenkins.plugins.k8sdeploy.engine.strategy;

import java.time.Duration;
import java.time.Instant;

/**
 * The rules of waiting for a person, one place for every rollout that asks one (a canary's {@code approval} steps and
 * inconclusive analyses, {@link GateRollout}): when the wait times out, how often to look meanwhile, who answered, and
 * that an answer to a wait that is over is ignored. Pure: each rollout keeps when its wait began in its own state.
 * Blue-green's inconclusive post-switch analysis waits here too, with no timeout and its own poll.
 */
public final class ApprovalGate {
    private ApprovalGate() {}

    /** Where a wait stands: {@link Waiting} or {@link TimedOut}. */
    public sealed interface Check permits Waiting, TimedOut {}

    /** No decision yet: look again after {@code next}, a poll or less when the timeout comes sooner. */
    public record Waiting(Duration next) implements Check {}

    /** The policy's timeout passed without a decision: it {@code proceed}s, or aborts. */
    public record TimedOut(boolean proceed) implements Check {}

    /** When a wait begun at {@code since} times out; null without a timeout (or before the wait began). */
    public static Instant deadline(Approval.Policy policy, Instant since) {
        return policy.timeout() == null || since == null ? null : since.plus(policy.timeout());
    }

    /**
     * Where a wait begun at {@code since} stands at {@code now}. A rollout that waits looks again within
     * {@link Rollouts#POLL}, so that an answer given from outside (a command on the cluster) is taken soon.
     */
    public static Check check(Approval.Policy policy, Instant since, Instant now) {
        return check(policy, since, now, Rollouts.POLL);
    }

    /** As {@link #check(Approval.Policy, Instant, Instant)}, looking again every {@code poll} meanwhile. */
    public static Check check(Approval.Policy policy, Instant since, Instant now, Duration poll) {
        Instant deadline = deadline(policy, since);
        if (deadline == null) {
            return new Waiting(poll);
        }
        if (!now.isBefore(deadline)) {
            return new TimedOut(policy.proceedOnTimeout());
        }
        Duration left = Duration.between(now, deadline);
        return new Waiting(left.compareTo(poll) < 0 ? left : poll);
    }

    /** Who answered, with their comment: {@code " by alice"}, {@code " by alice: looks good"}. */
    public static String by(Approval.Decision d) {
        return " by " + d.who() + (d.comment() == null || d.comment().isBlank() ? "" : ": " + d.comment());
    }

    /** What the log says of an answer to a wait that is over (someone else decided, or it timed out). */
    public static String notWaiting(Approval.Decision d) {
        return "The approval " + d.approvalId() + " is no longer waiting; ignoring "
                + (d.proceed() ? "proceed" : "abort") + " by " + d.who() + ".";
    }
}
