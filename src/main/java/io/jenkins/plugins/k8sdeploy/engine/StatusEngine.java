package io.jenkins.plugins.k8sdeploy.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWatches;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Workload;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/** {@code k8spd status}: how a workload's rollout stands, by the same rules a deploy waits with. */
public final class StatusEngine {
    private final Clock clock;

    public StatusEngine() {
        this(Clock.systemUTC());
    }

    public StatusEngine(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param wait false to answer at once; true to wait until done, failed or {@code timeout}
     * @return the last status; still PROGRESSING only when not waiting or at the timeout
     */
    public RolloutStatus status(ClusterConnection connection, String target, String namespace, boolean wait,
            Duration timeout, Consumer<String> log) throws DeployException, InterruptedException {
        WorkloadTarget t = WorkloadTarget.parse(target);
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            ResourceKind kind = cluster.kind(t.apiVersion(), t.kind());
            GenericKubernetesResource live = cluster.get(kind, namespace, t.name());
            if (live == null) {
                throw new DeployException(t.kind() + "/" + t.name() + " does not exist in namespace " + namespace
                        + ".");
            }
            Workload workload = WorkloadState.workloadOf(live, t.apiVersion());
            Instant deadline = clock.instant().plus(timeout);
            RolloutStatus last = null;
            try (RolloutWatches watches = RolloutWatches.start(cluster, Map.of(workload, kind))) {
                while (true) {
                    RolloutStatus now = watches.evaluate().get(workload);
                    if (!now.equals(last)) {
                        log.accept(DeployProgress.line(workload, now));
                        last = now;
                    }
                    Duration left = Duration.between(clock.instant(), deadline);
                    if (!wait || now.isDone() || now.isFailed() || left.isNegative() || left.isZero()) {
                        return now;
                    }
                    watches.awaitChange(left.compareTo(DeployEngine.RESYNC) < 0 ? left : DeployEngine.RESYNC);
                }
            }
        }
    }
}
