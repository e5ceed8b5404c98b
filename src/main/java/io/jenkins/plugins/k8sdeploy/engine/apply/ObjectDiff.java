package io.jenkins.plugins.k8sdeploy.engine.apply;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What applying would change, as a unified diff of YAML between the live object and the server's dry-run answer.
 * Fields the server owns (status, resourceVersion, managedFields and the like) are left out, and Secret values are
 * never shown: each appears as "***", marked "(changed)" when the new value differs. A Secret's annotations that carry
 * a copy of its values are hidden the same way: {@value #LAST_APPLIED}, which client-side {@code kubectl apply} fills
 * with the whole object, stringData in plain text, and any annotation whose value holds one of the Secret's values.
 */
public final class ObjectDiff {
    static final String HIDDEN = "***";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final KubernetesSerialization SERIALIZATION = KubeCluster.serialization();

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

    static void maskSecret(Map<String, Object> before, Map<String, Object> after) {
        Set<String> values = new HashSet<>();
        collectValues(before, values);
        collectValues(after, values);
        maskAnnotations(annotations(before), annotations(after), before == null, values);
        maskData(before, after);
    }

    /**
     * Hides {@value #LAST_APPLIED} and every annotation holding one of {@code values}, in both maps: "***", or
     * "*** (changed)" for a new value of an object that existed.
     */
    private static void maskAnnotations(Map<String, Object> before, Map<String, Object> after, boolean created,
            Set<String> values) {
        Predicate<Map.Entry<String, Object>> copies = e -> e.getKey().equals(LAST_APPLIED)
                || values.stream().anyMatch(String.valueOf(e.getValue())::contains);
        Set<String> hidden = new HashSet<>();
        for (Map<String, Object> annotations : Arrays.asList(before, after)) {
            if (annotations != null) {
                annotations.entrySet().stream().filter(copies).forEach(e -> hidden.add(e.getKey()));
            }
        }
        for (String key : hidden) {
            Object old = before == null ? null : before.get(key);
            if (after != null && after.containsKey(key)) {
                after.put(key, hidden(created || Objects.equals(old, after.get(key))));
            }
            if (before != null && before.containsKey(key)) {
                before.put(key, HIDDEN);
            }
        }
    }

    private static String hidden(boolean same) {
        return same ? HIDDEN : HIDDEN + " (changed)";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> annotations(Map<String, Object> object) {
        return object != null && object.get("metadata") instanceof Map<?, ?> meta
                && meta.get("annotations") instanceof Map<?, ?> ann ? (Map<String, Object>) ann : null;
    }

    /** The Secret's values as they could appear in an annotation: as given, in base64, and decoded from base64. */
    private static void collectValues(Map<String, Object> secret, Set<String> into) {
        if (secret == null) {
            return;
        }
        if (secret.get("data") instanceof Map<?, ?> data) {
            for (Object v : data.values()) {
                String base64 = String.valueOf(v);
                into.add(base64);
                try {
                    into.add(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException notBase64) {
                    // The server would refuse it; the text itself is already collected.
                }
            }
        }
        if (secret.get("stringData") instanceof Map<?, ?> plain) {
            for (Object v : plain.values()) {
                String text = String.valueOf(v);
                into.add(text);
                into.add(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
            }
        }
        into.remove("");
    }

    @SuppressWarnings("unchecked")
    private static void maskData(Map<String, Object> before, Map<String, Object> after) {
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
