package io.jenkins.plugins.k8sdeploy.engine.apply;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What applying would change, as a unified diff of YAML between the live object and the server's dry-run answer.
 * Fields the server owns (status, resourceVersion, managedFields and the like) are left out, and Secret values are
 * never shown: each appears as "***", marked "(changed)" when the new value differs.
 */
public final class ObjectDiff {
    static final String HIDDEN = "***";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ObjectDiff() {}

    /**
     * @param live {@code null} when the object does not exist yet
     * @return the diff, or an empty string when nothing would change
     */
    public static String diff(String name, GenericKubernetesResource live, GenericKubernetesResource wouldBe) {
        Map<String, Object> before = live == null ? null : clean(live);
        Map<String, Object> after = clean(wouldBe);
        if ("Secret".equals(wouldBe.getKind())) {
            maskSecret(before, after);
        }
        List<String> a = before == null ? List.of() : lines(before);
        List<String> b = lines(after);
        if (a.equals(b)) {
            return "";
        }
        var patch = DiffUtils.diff(a, b);
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(
                live == null ? "/dev/null" : "live/" + name, "new/" + name, a, patch, 3)) + "\n";
    }

    private static List<String> lines(Map<String, Object> object) {
        return SERIALIZATION.asYaml(object).lines().filter(l -> !l.equals("---")).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> clean(GenericKubernetesResource r) {
        Map<String, Object> m = SERIALIZATION.convertValue(r, LinkedHashMap.class);
        m.remove("status");
        if (m.get("metadata") instanceof Map<?, ?> meta) {
            Map<String, Object> metadata = (Map<String, Object>) meta;
            for (String k : List.of("managedFields", "resourceVersion", "uid", "creationTimestamp", "generation",
                    "selfLink")) {
                metadata.remove(k);
            }
            if (metadata.get("annotations") instanceof Map<?, ?> ann) {
                ann.remove("deployment.kubernetes.io/revision");
                if (ann.isEmpty()) {
                    metadata.remove("annotations");
                }
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static void maskSecret(Map<String, Object> before, Map<String, Object> after) {
        for (String field : List.of("data", "stringData")) {
            Map<String, Object> old = before != null && before.get(field) instanceof Map<?, ?> o
                    ? (Map<String, Object>) o : Map.of();
            if (after.get(field) instanceof Map<?, ?> n) {
                Map<String, Object> values = (Map<String, Object>) n;
                for (var e : values.entrySet()) {
                    boolean same = old.containsKey(e.getKey()) && Objects.equals(old.get(e.getKey()), e.getValue());
                    e.setValue(same || !old.containsKey(e.getKey()) && before == null ? HIDDEN : HIDDEN + " (changed)");
                }
            }
            if (before != null && before.get(field) instanceof Map<?, ?> o) {
                ((Map<String, Object>) o).replaceAll((k, v) -> HIDDEN);
            }
        }
    }
}
