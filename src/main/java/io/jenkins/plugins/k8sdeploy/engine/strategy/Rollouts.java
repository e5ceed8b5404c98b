package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.StopRequest;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Drives a {@link Rollout} to the end on the caller's thread: what the command line does. */
public final class Rollouts {
    private Rollouts() {}

    /**
     * Ticks until the rollout finishes; an interrupt stops it as {@code rollBackOnStop} says. An API server that does
     * not answer for a while is waited out ({@link Outage}).
     */
    public static DeployRecord run(Rollout rollout, ClusterConnection connection, Clock clock, Consumer<String> log,
            boolean rollBackOnStop) throws DeployException, InterruptedException {
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            try {
                drive(rollout, cluster, clock, log, new StopRequest());
            } catch (InterruptedException e) {
                rollout.stop("interrupted", rollBackOnStop, cluster, clock, log);
                throw e;
            }
            return rollout.record(clock);
        }
    }

    /**
     * Ticks until the rollout finishes or {@code stop} is asked for; then stops it as {@code rollBackOnStop} says,
     * for the stop's reason, and returns its record. A stop asked for during a tick takes effect when the tick ends.
     * An API server that does not answer for a while is waited out ({@link Outage}).
     */
    public static DeployRecord run(Rollout rollout, ClusterConnection connection, Clock clock, Consumer<String> log,
            boolean rollBackOnStop, StopRequest stop) throws DeployException, InterruptedException {
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            if (!drive(rollout, cluster, clock, log, stop)) {
                rollout.stop(stop.reason(), rollBackOnStop, cluster, clock, log);
            }
            return rollout.record(clock);
        }
    }

    /** Ticks until the rollout finishes (true) or a stop is asked for (false). */
    private static boolean drive(Rollout rollout, KubeCluster cluster, Clock clock, Consumer<String> log,
            StopRequest stop) throws DeployException, InterruptedException {
        Outage outage = new Outage();
        while (!stop.requested()) {
            Rollout.Tick tick;
            try {
                tick = rollout.tick(cluster, clock, log);
            } catch (DeployException | RuntimeException e) {
                Duration retry = outage.failed(e, clock.instant(), rollout.outageTolerance(), log);
                if (retry != null) {
                    stop.sleep(retry);
                    continue;
                }
                if (outage.ongoing()) {
                    throw outage.giveUp(rollout, cluster, clock, log, e);
                }
                throw e;
            }
            outage.succeeded(clock.instant(), log);
            if (tick.finished()) {
                return true;
            }
            stop.sleep(tick.next());
        }
        return false;
    }

    /** The usual pause between ticks while something is being waited for. */
    public static final Duration POLL = Duration.ofSeconds(1);
}
