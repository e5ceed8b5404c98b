package io.jenkins.plugins.k8sdeploy.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Rollback;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWaiter;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Workload;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** Rolling a workload back on demand (k8sRollback, {@code k8spd rollback}): restore a revision and wait for it. */
public final class RollbackEngine {
    private static final Map<String, String> KINDS = Map.of(
            "deployment", "Deployment", "deployments", "Deployment", "deploy", "Deployment",
            "statefulset", "StatefulSet", "statefulsets", "StatefulSet", "sts", "StatefulSet",
            "daemonset", "DaemonSet", "daemonsets", "DaemonSet", "ds", "DaemonSet");

    private final Clock clock;

    public RollbackEngine() {
        this(Clock.systemUTC());
    }

    public RollbackEngine(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param target "deployment/web" (kubectl's short names work too)
     * @param toRevision 0 for the revision before the current one
     * @return true when the restored revision rolled out within {@code timeout}
     */
    public boolean rollback(ClusterConnection connection, String target, String namespace, long toRevision,
            Duration timeout, Consumer<String> log) throws DeployException, InterruptedException {
        int slash = target.indexOf('/');
        String kind = slash < 0 ? null : KINDS.get(target.substring(0, slash).toLowerCase(Locale.ROOT));
        if (kind == null || slash == target.length() - 1) {
            throw new DeployException("'" + target + "' is not a workload to roll back. Expected deployment/NAME,"
                    + " statefulset/NAME or daemonset/NAME.");
        }
        String name = target.substring(slash + 1);
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            Rollback.Result result = Rollback.rollback(cluster, kind, namespace, name, toRevision);
            log.accept("Rolling back: " + result.describe() + ".");
            ResourceKind resourceKind = cluster.kind("apps/v1", kind);
            GenericKubernetesResource live = cluster.get(resourceKind, namespace, name);
            Workload workload = WorkloadState.workloadOf(live, "apps/v1");
            Map<Workload, RolloutStatus> status =
                    RolloutWaiter.await(cluster, Map.of(workload, resourceKind), timeout, clock, log);
            boolean done = status.get(workload).isDone();
            log.accept(done ? "Rolled back: " + kind + "/" + name + " serves revision " + result.toRevision()
                    + " again." : "The rollback of " + kind + "/" + name + " did not finish.");
            return done;
        }
    }
}
