package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.DeployException;
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
            Outage outage = new Outage();
            try {
                while (true) {
                    Rollout.Tick tick;
                    try {
                        tick = rollout.tick(cluster, clock, log);
                    } catch (DeployException | RuntimeException e) {
                        Duration retry = outage.failed(e, clock.instant(), rollout.outageTolerance(), log);
                        if (retry != null) {
                            Thread.sleep(retry.toMillis());
                            continue;
                        }
                        if (outage.ongoing()) {
                            throw outage.giveUp(rollout, cluster, clock, log, e);
                        }
                        throw e;
                    }
                    outage.succeeded(clock.instant(), log);
                    if (tick.finished()) {
                        break;
                    }
                    Thread.sleep(Math.max(0, tick.next().toMillis()));
                }
            } catch (InterruptedException e) {
                rollout.stop("interrupted", rollBackOnStop, cluster, clock, log);
                throw e;
            }
            return rollout.record(clock);
        }
    }

    /** The usual pause between ticks while something is being waited for. */
    public static final Duration POLL = Duration.ofSeconds(1);
}
