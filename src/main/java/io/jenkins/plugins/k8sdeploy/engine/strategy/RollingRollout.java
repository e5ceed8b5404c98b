package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWatches;
import java.io.Serial;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A rolling deploy in the {@link Rollout} shape, so that {@link RolloutDriver} drives it as it drives the other
 * strategies. Two uses:
 *
 * <ul>
 *   <li>{@link #plain}: the Pipeline steps k8sDeploy (rolling) and k8sRollback. The record is the deploy engine's as it
 *       is (no strategy, no events), a stop rolls back when asked and records what happened, a check comes every
 *       {@link #CHECK} unless a watched object changes first, and a failed check ends the step at once with no
 *       record ({@link #outageTolerance()} is null: the wait reads watches, which ride out an outage on their own).
 *   <li>the constructor: the cases where a strategy has nothing to compare (the first deploy of an app goes straight
 *       to full, a deploy that does not change the pod template has nothing to canary). The record still names the
 *       strategy and the app, with one event that says why it went straight to full.
 * </ul>
 */
public final class RollingRollout implements Rollout {
    @Serial
    private static final long serialVersionUID = 1L;

    private final DeployProgress progress;
    private final DeployRecord.Strategy strategy;
    private final String app;
    private final List<StrategyEvent> events = new ArrayList<>();
    private DeployRecord finished;
    /** A plain rolling deploy or rollback step ({@link #plain}); false in the state saved before there was one. */
    private final boolean plain;

    /** How often a plain rolling deploy checks its workloads when no watched object changed meanwhile. */
    public static final Duration CHECK = Duration.ofSeconds(2);

    public RollingRollout(DeployProgress progress, DeployRecord.Strategy strategy, String app, StrategyEvent why) {
        this.progress = progress;
        this.strategy = strategy;
        this.app = app;
        this.plain = false;
        events.add(why);
    }

    private RollingRollout(DeployProgress progress) {
        this.progress = progress;
        this.strategy = null;
        this.app = null;
        this.plain = true;
    }

    /** A rolling deploy or a rollback as the k8sDeploy and k8sRollback steps run it; see the class comment. */
    public static RollingRollout plain(DeployProgress progress) {
        return new RollingRollout(progress);
    }

    /** The progress this rollout moves on (plain data). */
    public DeployProgress progress() {
        return progress;
    }

    private Duration poll() {
        return plain ? CHECK : Rollouts.POLL;
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
                    return Tick.again(poll());
                }
                case ROLL_BACK -> {
                    cluster.forget(key);
                    new DeployEngine(clock).rollBack(progress, cluster, log);
                    // A plain one watches the rollback at once (its watches start in the next tick), as the step did.
                    return Tick.again(plain ? Duration.ZERO : Rollouts.POLL);
                }
                case FINISHED -> cluster.forget(key);
            }
            if (progress.waiting()) {
                return Tick.again(poll());
            }
        }
        DeployRecord r = new DeployEngine(clock).finish(progress, cluster, log);
        if (plain) {
            finished = r;
            return Tick.FINISHED;
        }
        finished = new DeployRecord(r.server(), r.outcome(), r.started(), r.finished(), r.durationMillis(),
                r.apiRequests(), r.objects(), r.workloads(), r.rollbacks(), r.timeline(), r.failure(), strategy, app,
                events);
        return Tick.FINISHED;
    }

    @Override
    public void stop(String reason, boolean rollBack, KubeCluster cluster, Clock clock, Consumer<String> log)
            throws DeployException {
        if (rollBack && progress.phase() == DeployProgress.Phase.ROLLING_OUT) {
            if (plain) {
                log.accept("The build was stopped during the rollout; rolling back.");
            }
            progress.abort(reason, clock, log);
            new DeployEngine(clock).rollBack(progress, cluster, log);
        }
        if (plain && finished == null) {
            finished = new DeployEngine(clock).finish(progress, cluster, log);
        }
    }

    /** Null for a plain one: a failed check is not tried again (see the class comment). */
    @Override
    public Duration outageTolerance() {
        return plain ? null : Rollout.super.outageTolerance();
    }

    @Override
    public String status() {
        return progress.waiting() ? progress.phase().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + ": waiting for " + progress.waitingFor() : progress.phase().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public DeployRecord record(Clock clock) {
        if (finished == null && plain) {
            return null; // as the step always did: a check that failed leaves no record on the build page
        }
        return finished != null ? finished : progress.toRecord(clock.instant(), java.util.Map.of());
    }
}
