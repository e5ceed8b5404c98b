package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWatches;
import java.io.Serial;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A plain rolling deploy in the {@link Rollout} shape, for the cases where a strategy has nothing to compare: the first
 * deploy of an app goes straight to full, and a deploy that does not change the pod template has nothing to canary.
 * The record still names the strategy and the app, with one event that says why it went straight to full.
 */
public final class RollingRollout implements Rollout {
    @Serial
    private static final long serialVersionUID = 1L;

    private final DeployProgress progress;
    private final String strategy;
    private final String app;
    private final List<StrategyEvent> events = new ArrayList<>();
    private DeployRecord finished;

    public RollingRollout(DeployProgress progress, String strategy, String app, StrategyEvent why) {
        this.progress = progress;
        this.strategy = strategy;
        this.app = app;
        events.add(why);
    }

    @Override
    public Tick tick(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        if (finished != null) {
            return Tick.FINISHED;
        }
        if (progress.waiting()) {
            // Kept from tick to tick (and woken by) while the same view of the cluster drives this rollout.
            String key = "rolling@" + System.identityHashCode(this);
            RolloutWatches watches = cluster.held(key, wake -> RolloutWatches.start(cluster, progress.toWatch(), wake));
            switch (progress.observe(watches.evaluate(), clock, log)) {
                case KEEP_WAITING -> {
                    return Tick.again(Rollouts.POLL);
                }
                case ROLL_BACK -> {
                    cluster.forget(key);
                    new DeployEngine(clock).rollBack(progress, cluster, log);
                    return Tick.again(Rollouts.POLL);
                }
                case FINISHED -> cluster.forget(key);
            }
            if (progress.waiting()) {
                return Tick.again(Rollouts.POLL);
            }
        }
        DeployRecord r = new DeployEngine(clock).finish(progress, cluster, log);
        finished = new DeployRecord(r.server(), r.outcome(), r.started(), r.finished(), r.durationMillis(),
                r.apiRequests(), r.objects(), r.workloads(), r.rollbacks(), r.timeline(), r.failure(), strategy, app,
                events);
        return Tick.FINISHED;
    }

    @Override
    public void stop(String reason, boolean rollBack, KubeCluster cluster, Clock clock, Consumer<String> log)
            throws DeployException {
        if (rollBack && progress.phase() == DeployProgress.Phase.ROLLING_OUT) {
            progress.abort(reason, clock, log);
            new DeployEngine(clock).rollBack(progress, cluster, log);
        }
    }

    @Override
    public String status() {
        return progress.waiting() ? progress.phase().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + ": waiting for " + progress.waitingFor() : progress.phase().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public DeployRecord record(Clock clock) {
        return finished != null ? finished : progress.toRecord(clock.instant(), java.util.Map.of());
    }
}
