package io.jenkins.plugins.k8sdeploy.engine.strategy;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * A decision a person must take before a rollout goes on: a canary plan's {@code approval} step, or an analysis that
 * could not tell. Front ends show it (the Jenkins build page with proceed and abort buttons, the log) and hand the
 * answer back with {@link Rollout#decide}. Promoting from outside ({@code k8spd canary promote}) answers it too.
 *
 * @param id stable for one wait: the same wait keeps its id across ticks and restarts
 * @param message what is asked
 * @param deadline when {@link Policy#onTimeout()} happens by itself; {@code null} for no timeout
 */
public record Approval(String id, String message, Instant since, Instant deadline) implements Serializable {

    /**
     * How approvals of a rollout are asked for.
     *
     * @param message asked instead of the default ("Promote the canary of web beyond 20%?")
     * @param timeout how long to wait; {@code null} waits until someone decides
     * @param proceedOnTimeout what the timeout does: abort (default, the safe choice) or proceed
     */
    public record Policy(String message, Duration timeout, boolean proceedOnTimeout) implements Serializable {
        public static final Policy DEFAULT = new Policy(null, null, false);
    }

    /**
     * A person's answer.
     *
     * @param who the user id, for the record
     */
    public record Decision(String approvalId, boolean proceed, String who, String comment) implements Serializable {}
}
