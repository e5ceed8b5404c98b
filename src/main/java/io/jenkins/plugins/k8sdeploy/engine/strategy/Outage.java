package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.Transient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Rides out an API server that stops answering for a while, for whoever drives a {@link Rollout}: a tick that failed
 * in a way that may pass ({@link Transient}) is tried again after a backoff (0.5 s doubling to 10 s, each with up to
 * 20% jitter so that many rollouts do not come back in step) until the rollout's {@link Rollout#outageTolerance()}
 * has passed since the first failure. Ticks re-read the cluster before they act, so trying one again repeats and
 * skips nothing.
 *
 * <p>The log gets one line when the outage starts, one about every 30 s while it lasts, and one when the API server
 * answers again.
 */
public final class Outage {
    static final Duration FIRST = Duration.ofMillis(500);
    static final Duration MOST = Duration.ofSeconds(10);
    static final Duration REMIND = Duration.ofSeconds(30);

    private Instant since;
    private Instant reminded;
    private int attempts;
    private String last;

    /**
     * A tick failed with {@code failure}: when to try again, or {@code null} when it must not be tried again (the
     * failure is not transient, or the outage has lasted longer than {@code tolerance}).
     */
    public Duration failed(Throwable failure, Instant now, Duration tolerance, Consumer<String> log) {
        if (!Transient.is(failure)) {
            return null;
        }
        last = Transient.describe(failure);
        if (since == null) {
            since = now;
            reminded = now;
            log.accept("The Kubernetes API server did not answer (" + last + "); trying again until it does, for up"
                    + " to " + Durations.format(tolerance) + ".");
        } else if (!now.isBefore(reminded.plus(REMIND))) {
            reminded = now;
            log.accept("Still no answer from the Kubernetes API server after " + Durations.format(lasted(now)) + " ("
                    + last + ").");
        }
        if (!now.isBefore(since.plus(tolerance))) {
            return null;
        }
        long base = Math.min(MOST.toMillis(), FIRST.toMillis() << Math.min(attempts, 10));
        attempts++;
        long jitter = (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(base - jitter);
    }

    /** A tick went through: ends the outage, if there was one, with a line saying how long it lasted. */
    public void succeeded(Instant now, Consumer<String> log) {
        if (since != null) {
            log.accept("The Kubernetes API server answers again after " + Durations.format(lasted(now))
                    + "; carrying on where the rollout was.");
        }
        since = null;
        attempts = 0;
    }

    /** True while ticks fail. */
    public boolean ongoing() {
        return since != null;
    }

    /** How long the API server has not answered, as of {@code now}. */
    public Duration lasted(Instant now) {
        return since == null ? Duration.ZERO : Duration.between(since, now);
    }

    /** The last failure, as {@link Transient#describe} put it. */
    public String lastFailure() {
        return last;
    }

    /**
     * The outage lasted too long: stops {@code rollout} with traffic back on the version that served before, if the
     * API server answers for that, and returns what to report. When it does not answer, the rollout is left as it is
     * (its state is in the cluster) and the message names the command that finishes it.
     */
    public DeployException giveUp(Rollout rollout, KubeCluster cluster, java.time.Clock clock, Consumer<String> log,
            Throwable last) {
        String why = "the Kubernetes API server did not answer for " + Durations.format(lasted(clock.instant()))
                + " (" + this.last + ")";
        try {
            rollout.stop(why, true, cluster, clock, log);
            return new DeployException("Gave up on the rollout: " + why + ". It was stopped, with traffic back on"
                    + " the version that served before.", last);
        } catch (Exception e) {
            last.addSuppressed(e);
            String then = rollout.afterOutage();
            String line = "Gave up on the rollout: " + why + ", and it could not be stopped either. It was left as it"
                    + " was (" + rollout.status() + "); its state is kept in the cluster."
                    + (then == null ? "" : " Once the API server answers again, run: " + then);
            log.accept(line);
            return new DeployException(line, last);
        }
    }
}
