package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A canary or blue-green rollout in progress, as plain serializable state plus the short unit of work that moves it
 * on. Front ends drive it the same way: the command line calls {@link #tick} in a loop on its thread
 * ({@link Rollouts#run}); a Jenkins step calls it on a timer, saving the state between calls, so a wait of hours holds
 * no thread and a restarted Jenkins carries on from the state and what the cluster says.
 *
 * <p>Everything another process needs (a promotion asked for from the command line, the current step) is in the
 * cluster, not only here: a tick always re-reads the cluster before it acts.
 */
public interface Rollout extends Serializable {

    /** What the driver does after a tick. */
    record Tick(boolean finished, Duration next) {
        public static Tick again(Duration next) {
            return new Tick(false, next);
        }

        public static final Tick FINISHED = new Tick(true, Duration.ZERO);
    }

    /**
     * One bounded unit of work: a few API requests, never a wait. Returns when to call again, or that the rollout
     * has finished (then {@link #record} says how).
     *
     * @throws DeployException when the request cannot be carried out (a clear message, nothing half-done is left
     *     unsaid)
     */
    Tick tick(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException;

    /**
     * The build or command was stopped: leave the cluster safe. With {@code rollBack} all traffic goes back to the
     * version that served before (a canary is aborted, blue-green switches back); without it, the rollout is left as
     * it is, and the log says so.
     */
    void stop(String reason, boolean rollBack, KubeCluster cluster, Clock clock, Consumer<String> log)
            throws DeployException;

    /**
     * How long the Kubernetes API server may go without answering before the driver gives up on this rollout
     * ({@link Outage}); ticks are tried again until then. Null: a tick that fails is not tried again, and the
     * rollout fails at once.
     */
    default Duration outageTolerance() {
        return Duration.ofMinutes(5);
    }

    /**
     * The command that finishes this rollout safely once the API server answers again, for when the driver had to
     * give up while it did not ("k8spd canary abort web -n shop"); null when there is none to name.
     */
    default String afterOutage() {
        return null;
    }

    /** One line for the build's status ("canary web at 20%: paused for 1 min"). */
    String status();

    /** What happened so far (finished or not). */
    DeployRecord record(Clock clock);

    /** The decision a person must take now, if any. */
    default java.util.Optional<Approval> pendingApproval() {
        return java.util.Optional.empty();
    }

    /**
     * Takes a person's answer to {@link #pendingApproval()}. An answer to a wait that is over (someone else decided,
     * or it timed out) is ignored, and the log says so.
     */
    default void decide(Approval.Decision decision, Clock clock, Consumer<String> log) {
        log.accept("Nothing is waiting for a decision; ignoring " + (decision.proceed() ? "proceed" : "abort")
                + " by " + decision.who() + ".");
    }
}
