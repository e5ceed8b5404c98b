package io.jenkins.plugins.k8sdeploy.engine.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.Autoscalers;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload a HorizontalPodAutoscaler sizes keeps the replica count the autoscaler gave it: a deploy takes
 * {@code spec.replicas} out of what it applies, so the manifest's count (often written for the first deploy) never
 * resets it.
 *
 * <p>One case keeps the field: when our own earlier apply is still what owns the live count (the autoscaler has not
 * changed it since), leaving it out would make the server drop the field and default it to 1. Then the live count is
 * applied instead, which changes nothing; the autoscaler's next change takes the field over.
 */
public final class AutoscaledReplicas {
    private AutoscaledReplicas() {}

    /**
     * The plan to apply, and a line per workload whose replicas were left to its autoscaler.
     *
     * @param notes per object of {@code plan}, "replicas left to HorizontalPodAutoscaler/web (...)"
     */
    public record Result(List<Planned> plan, Map<Planned, String> notes) {}

    /** Takes the replica count out of every workload of {@code plan} an autoscaler targets. */
    public static Result leaveToAutoscalers(List<Planned> plan, KubeCluster cluster) throws DeployException {
        List<Planned> adjusted = new ArrayList<>();
        Map<Planned, String> notes = new LinkedHashMap<>();
        for (Planned x : plan) {
            Object asked = replicas(x.manifest().body());
            Autoscalers.Autoscaler hpa = asked == null || x.deferred() || x.namespace() == null ? null
                    : Autoscalers.targeting(cluster, x.namespace(), x.manifest().kind(), x.manifest().name());
            if (hpa == null) {
                adjusted.add(x);
                continue;
            }
            GenericKubernetesResource live = cluster.get(x.kind(), x.namespace(), x.manifest().name());
            Object now = live == null ? null : replicas(live.getAdditionalProperties());
            boolean keep = now != null && appliedByUs(live);
            Planned y = new Planned(withReplicas(x.manifest(), keep ? now : null), x.kind(), x.namespace(),
                    x.deferred());
            adjusted.add(y);
            notes.put(y, "replicas left to " + hpa.describe() + " (" + (now == null ? "none yet" : now + " now")
                    + "; the manifest's " + asked + " is not applied)");
        }
        return new Result(adjusted, notes);
    }

    private static Object replicas(Map<String, Object> body) {
        return body.get("spec") instanceof Map<?, ?> spec ? spec.get("replicas") : null;
    }

    /** A copy of {@code m} whose spec.replicas is {@code replicas}, or has none when it is {@code null}. */
    @SuppressWarnings("unchecked")
    private static Manifest withReplicas(Manifest m, Object replicas) {
        Map<String, Object> body = new LinkedHashMap<>(m.body());
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) body.get("spec"));
        if (replicas == null) {
            spec.remove("replicas");
        } else {
            spec.put("replicas", replicas);
        }
        body.put("spec", spec);
        return new Manifest(m.apiVersion(), m.kind(), m.name(), m.namespace(), body, m.origin());
    }

    /** Whether the live spec.replicas is owned by our apply (rather than the autoscaler or anyone else). */
    private static boolean appliedByUs(GenericKubernetesResource live) {
        List<ManagedFieldsEntry> managed = live.getMetadata().getManagedFields();
        return managed != null && managed.stream()
                .filter(e -> KubeCluster.FIELD_MANAGER.equals(e.getManager()) && "Apply".equals(e.getOperation()))
                .anyMatch(e -> e.getFieldsV1() != null
                        && e.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
                        && spec.containsKey("f:replicas"));
    }
}
