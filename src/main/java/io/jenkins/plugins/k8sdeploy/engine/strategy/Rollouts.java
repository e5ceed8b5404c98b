package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.StopRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Drives a {@link Rollout} to the end on the caller's thread: what the command line does. */
public final class Rollouts {
    private Rollouts() {}

    /** Ticks until the rollout finishes; an interrupt stops it as {@code rollBackOnStop} says. */
    public static DeployRecord run(Rollout rollout, ClusterConnection connection, Clock clock, Consumer<String> log,
            boolean rollBackOnStop) throws DeployException, InterruptedException {
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            try {
                Rollout.Tick tick;
                while (!(tick = rollout.tick(cluster, clock, log)).finished()) {
                    Thread.sleep(Math.max(0, tick.next().toMillis()));
                }
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
     */
    public static DeployRecord run(Rollout rollout, ClusterConnection connection, Clock clock, Consumer<String> log,
            boolean rollBackOnStop, StopRequest stop) throws DeployException, InterruptedException {
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            boolean finished = false;
            while (!finished && !stop.requested()) {
                Rollout.Tick tick = rollout.tick(cluster, clock, log);
                finished = tick.finished();
                if (!finished) {
                    stop.sleep(tick.next());
                }
            }
            if (!finished) {
                rollout.stop(stop.reason(), rollBackOnStop, cluster, clock, log);
            }
            return rollout.record(clock);
        }
    }

    /** The usual pause between ticks while something is being waited for. */
    public static final Duration POLL = Duration.ofSeconds(1);
}
