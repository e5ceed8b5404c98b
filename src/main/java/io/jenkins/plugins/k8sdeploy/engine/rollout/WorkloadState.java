package io.jenkins.plugins.k8sdeploy.engine.rollout;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload's revision and images at one moment, read from the object itself, for the record and for deciding
 * whether there is anything to roll back to.
 *
 * @param revision a Deployment's revision annotation; for other kinds the object's generation (0: did not exist)
 * @param images "container=image" for each container of the pod template
 */
public record WorkloadState(long revision, List<String> images) implements java.io.Serializable {
    public WorkloadState {
        images = List.copyOf(images);
    }

    public static final WorkloadState NONE = new WorkloadState(0, List.of());

    public static WorkloadState of(GenericKubernetesResource r) {
        long revision;
        if ("Deployment".equals(r.getKind())) {
            revision = Rollback.revision(r.getMetadata().getAnnotations());
        } else {
            revision = r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
        }
        List<String> images = new ArrayList<>();
        Object containers = path(r.getAdditionalProperties().get("spec"), "template", "spec", "containers");
        if (containers instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> c) {
                    images.add(c.get("name") + "=" + c.get("image"));
                }
            }
        }
        return new WorkloadState(revision, images);
    }

    /**
     * The workload to wait for that an applied object is, or {@code null} when it is not one: Deployments,
     * StatefulSets, DaemonSets and Jobs, and custom resources that opt in with
     * {@link Workload#WAIT_FOR_CONDITION_ANNOTATION} (an empty value means the Ready condition).
     */
    public static Workload workloadOf(GenericKubernetesResource r, String apiVersion) {
        String ns = r.getMetadata().getNamespace();
        Workload candidate = new Workload(apiVersion, r.getKind(), ns, r.getMetadata().getName(), null, null);
        if (candidate.isBuiltIn()) {
            Map<String, String> selector = null;
            if (path(r.getAdditionalProperties().get("spec"), "selector", "matchLabels") instanceof Map<?, ?> m) {
                selector = new LinkedHashMap<>();
                for (var e : m.entrySet()) {
                    selector.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                }
            }
            return new Workload(apiVersion, r.getKind(), ns, r.getMetadata().getName(), selector, null);
        }
        Map<String, String> annotations = r.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(Workload.WAIT_FOR_CONDITION_ANNOTATION) && ns != null) {
            String condition = annotations.get(Workload.WAIT_FOR_CONDITION_ANNOTATION);
            return new Workload(apiVersion, r.getKind(), ns, r.getMetadata().getName(), null,
                    condition == null || condition.isBlank() ? "Ready" : condition.strip());
        }
        return null;
    }

    static Object path(Object from, String... keys) {
        Object o = from;
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(k);
        }
        return o;
    }
}
