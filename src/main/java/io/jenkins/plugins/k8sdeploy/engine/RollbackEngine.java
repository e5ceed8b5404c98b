package io.jenkins.plugins.k8sdeploy.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress.Decision;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress.Watched;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Rollback;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWatches;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Workload;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rolling a workload back on demand (k8sRollback, {@code k8spd rollback}): restore a revision and wait for it. Like a
 * deploy, it is a short {@link #begin} and then waiting, so a Jenkins step can do it without holding a thread.
 */
public final class RollbackEngine {
    private final Clock clock;

    public RollbackEngine() {
        this(Clock.systemUTC());
    }

    public RollbackEngine(Clock clock) {
        this.clock = clock;
    }

    /** Rolls back and waits, on this thread. */
    public DeployRecord rollback(ClusterConnection connection, String target, String namespace, long toRevision,
            Duration timeout, Consumer<String> log) throws DeployException, InterruptedException {
        DeployProgress p = begin(connection, target, namespace, toRevision, timeout, log);
        DeployEngine engine = new DeployEngine(clock);
        try (KubeCluster cluster = KubeCluster.connect(connection);
                RolloutWatches watches = RolloutWatches.start(cluster, p.toWatch())) {
            while (p.observe(watches.evaluate(), clock, log) == Decision.KEEP_WAITING) {
                Duration left = Duration.between(clock.instant(), p.deadline());
                watches.awaitChange(left.compareTo(DeployEngine.RESYNC) < 0 ? left : DeployEngine.RESYNC);
            }
            return engine.finish(p, cluster, log);
        }
    }

    /**
     * Puts the earlier revision back; returns the progress to wait on.
     *
     * @param target "deployment/web" (kubectl's short names work too)
     * @param toRevision 0 for the revision before the current one
     */
    public DeployProgress begin(ClusterConnection connection, String target, String namespace, long toRevision,
            Duration timeout, Consumer<String> log) throws DeployException {
        WorkloadTarget t = WorkloadTarget.parse(target);
        String kind = t.kind();
        String name = t.name();
        DeployProgress p = DeployProgress.onDemandRollback(connection.serverUrl(), clock.instant(), timeout);
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            ResourceKind resourceKind = cluster.kind("apps/v1", kind);
            GenericKubernetesResource before = cluster.get(resourceKind, namespace, name);
            Rollback.Result result = Rollback.rollback(cluster, kind, namespace, name, toRevision);
            p.log(clock, log, "Rolling back: " + result.describe() + ".");
            p.rollbacks.add(result.describe());
            Workload workload = WorkloadState.workloadOf(before, "apps/v1");
            p.startRollbackWait(List.of(new Watched(workload, resourceKind, WorkloadState.of(before), null)), clock);
            p.countRequests(cluster.requestCount());
        }
        return p;
    }
}
