package io.jenkins.plugins.k8sdeploy.engine.rollout;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeClients;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * kubectl's {@code rollout undo}: puts a workload's pod template back to an earlier revision, which the workload's
 * controller then rolls out like any change. Deployments keep their revisions as ReplicaSets; StatefulSets and
 * DaemonSets as ControllerRevisions.
 */
public final class Rollback {
    private Rollback() {}

    /** What a rollback did, for the log and the record. */
    public record Result(String workload, long fromRevision, long toRevision, List<String> images) {
        public String describe() {
            return workload + " rolled back from revision " + fromRevision + " to " + toRevision
                    + (images.isEmpty() ? "" : " (" + String.join(", ", images) + ")");
        }
    }

    /**
     * Rolls {@code kind/name} back to {@code toRevision}, or to the revision before the current one when it is 0.
     *
     * @throws DeployException when there is no such revision (the first deploy has nothing to go back to)
     */
    public static Result rollback(KubeCluster cluster, String kind, String namespace, String name, long toRevision)
            throws DeployException {
        try {
            return switch (kind) {
                case "Deployment" -> deployment(cluster, namespace, name, toRevision);
                case "StatefulSet", "DaemonSet" -> controllerRevision(cluster, kind, namespace, name, toRevision);
                default -> throw new DeployException(kind + "/" + name + " cannot be rolled back: only Deployments,"
                        + " StatefulSets and DaemonSets keep earlier revisions.");
            };
        } catch (KubernetesClientException e) {
            throw KubeClients.explain(e, cluster.connection(), "roll back " + kind + "/" + name + " in namespace "
                    + namespace);
        }
    }

    private static Result deployment(KubeCluster cluster, String ns, String name, long toRevision)
            throws DeployException {
        var resource = cluster.client().apps().deployments().inNamespace(ns).withName(name);
        Deployment d = resource.get();
        if (d == null) {
            throw new DeployException("Deployment/" + name + " does not exist in namespace " + ns + "; there is"
                    + " nothing to roll back.");
        }
        long current = revision(d.getMetadata().getAnnotations());
        Map<Long, ReplicaSet> byRevision = cluster.client().apps().replicaSets().inNamespace(ns).list().getItems()
                .stream()
                .filter(rs -> RolloutWatch.ownedBy(rs, d))
                .collect(Collectors.toMap(rs -> revision(rs.getMetadata().getAnnotations()), rs -> rs, (a, b) -> a));
        ReplicaSet target = pick(byRevision, current, toRevision, "Deployment/" + name, ns);
        long targetRevision = revision(target.getMetadata().getAnnotations());
        PodTemplateSpec template = KubeCluster.serialization().clone(target.getSpec().getTemplate());
        if (template.getMetadata().getLabels() != null) {
            template.getMetadata().getLabels().remove("pod-template-hash");
        }
        resource.edit(live -> {
            live.getSpec().setTemplate(template);
            return live;
        });
        return new Result("Deployment/" + name, current, targetRevision, images(template));
    }

    private static Result controllerRevision(KubeCluster cluster, String kind, String ns, String name, long toRevision)
            throws DeployException {
        var client = cluster.client();
        var owner = "StatefulSet".equals(kind)
                ? client.apps().statefulSets().inNamespace(ns).withName(name).get()
                : client.apps().daemonSets().inNamespace(ns).withName(name).get();
        if (owner == null) {
            throw new DeployException(kind + "/" + name + " does not exist in namespace " + ns + "; there is nothing"
                    + " to roll back.");
        }
        Map<Long, ControllerRevision> byRevision = client.apps().controllerRevisions().inNamespace(ns).list()
                .getItems().stream()
                .filter(cr -> RolloutWatch.ownedBy(cr, owner))
                .collect(Collectors.toMap(ControllerRevision::getRevision, cr -> cr, (a, b) -> a));
        long current = byRevision.keySet().stream().max(Comparator.naturalOrder()).orElse(0L);
        ControllerRevision target = pick(byRevision, current, toRevision, kind + "/" + name, ns);
        String patch = KubeCluster.serialization().asJson(target.getData());
        var patchContext = PatchContext.of(PatchType.STRATEGIC_MERGE);
        if ("StatefulSet".equals(kind)) {
            client.apps().statefulSets().inNamespace(ns).withName(name).patch(patchContext, patch);
        } else {
            client.apps().daemonSets().inNamespace(ns).withName(name).patch(patchContext, patch);
        }
        return new Result(kind + "/" + name, current, target.getRevision(), List.of());
    }

    private static <T> T pick(Map<Long, T> byRevision, long current, long wanted, String what, String ns)
            throws DeployException {
        if (wanted > 0) {
            T t = byRevision.get(wanted);
            if (t == null) {
                throw new DeployException(what + " in namespace " + ns + " has no revision " + wanted + ". It has: "
                        + byRevision.keySet().stream().sorted().map(String::valueOf).collect(Collectors.joining(", "))
                        + ".");
            }
            return t;
        }
        return byRevision.entrySet().stream()
                .filter(e -> e.getKey() < current)
                .max(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .orElseThrow(() -> new DeployException(what + " in namespace " + ns + " has no earlier revision to"
                        + " roll back to: revision " + current + " is its first."));
    }

    static long revision(Map<String, String> annotations) {
        if (annotations == null) {
            return 0;
        }
        try {
            return Long.parseLong(annotations.getOrDefault(RolloutWatch.REVISION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static List<String> images(PodTemplateSpec template) {
        return template.getSpec().getContainers().stream().map(c -> c.getName() + "=" + c.getImage()).toList();
    }
}
