package io.jenkins.plugins.k8sdeploy.engine.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What the routers share: finding the router's kind and object, walking the untyped maps of a custom resource, and
 * re-weighing one weighted list of destinations (an Istio route's {@code route}, an HTTPRoute rule's
 * {@code backendRefs}, a TrafficSplit's {@code backends}). Routers edit a deep copy of the live object's list and
 * write the whole list back with a merge patch, which replaces lists: whatever else the user wrote stays.
 */
final class RouterSupport {
    /** The label on objects a router creates for a canary, naming the router object they belong to. */
    static final String CANARY_OF = "k8s-progressive-delivery.jenkins.io/canary-of";

    /** {@link #reweigh} with this weight removes the canary and gives stable 100. */
    static final int RESET = -1;

    private RouterSupport() {}

    /** The kind as the cluster serves it; a clear message naming the CRD to install when it is not served. */
    static ResourceKind kind(KubeCluster cluster, String apiVersion, String kind, String plural, String installedBy)
            throws DeployException {
        ResourceKind served = cluster.kind(apiVersion, kind);
        if (served == null) {
            String group = apiVersion.substring(0, apiVersion.indexOf('/'));
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            throw new DeployException("The cluster does not serve " + kind + " in " + apiVersion + ": the"
                    + " CustomResourceDefinition " + plural + "." + group + " with version " + version
                    + " is not installed. Install it (it comes with " + installedBy + ") or choose another router.");
        }
        return served;
    }

    /** The router object; a clear message when it does not exist. */
    static GenericKubernetesResource require(KubeCluster cluster, ResourceKind kind, String namespace, String name,
            String describe, String expected) throws DeployException {
        GenericKubernetesResource live = cluster.get(kind, namespace, name);
        if (live == null) {
            throw new DeployException(describe + " does not exist; expected " + expected + ".");
        }
        return live;
    }

    static void requireName(String name, String what) throws DeployException {
        if (name == null || name.isBlank()) {
            throw new DeployException("The traffic router needs the name of " + what + "; none was given.");
        }
    }

    static int checkWeight(int weight) {
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("A canary weight is 0 to 100, not " + weight);
        }
        return weight;
    }

    /** A deep copy of the object's {@code spec} (empty when it has none), safe to edit. */
    static Map<String, Object> spec(GenericKubernetesResource object) {
        return map(copy(object.getAdditionalProperties().get("spec")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    /** The maps in a list (anything else in it is left out); empty when {@code value} is not a list. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof List<?> l) {
            l.stream().filter(Map.class::isInstance).forEach(e -> out.add((Map<String, Object>) e));
        }
        return out;
    }

    static Object copy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return new ArrayList<>(l.stream().map(RouterSupport::copy).toList());
        }
        return value;
    }

    static String string(Object value) {
        return value == null ? null : value.toString();
    }

    /** A weight as written (a JSON number, or a number in a string); {@code missing} when absent or not a number. */
    static int weightOf(Map<String, Object> entry, int missing) {
        Object w = entry.get("weight");
        if (w instanceof Number n) {
            return n.intValue();
        }
        try {
            return w == null ? missing : Integer.parseInt(w.toString().trim());
        } catch (NumberFormatException e) {
            return missing;
        }
    }

    /**
     * One weighted list of destinations, re-weighed: each stable entry gets {@code 100 - weight}, the canary entry
     * {@code weight} (made from the first stable entry by {@code newCanary} and put right after it when absent).
     * With {@link #RESET} the canary entries go and stable gets 100. Other entries stay as they are.
     */
    static List<Map<String, Object>> reweigh(List<Map<String, Object>> entries, Predicate<Map<String, Object>> stable,
            Predicate<Map<String, Object>> canary, UnaryOperator<Map<String, Object>> newCanary, int weight) {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean hasCanary = entries.stream().anyMatch(canary);
        for (Map<String, Object> e : entries) {
            if (canary.test(e)) {
                if (weight != RESET) {
                    e.put("weight", weight);
                    out.add(e);
                }
            } else if (stable.test(e)) {
                e.put("weight", weight == RESET ? 100 : 100 - weight);
                out.add(e);
                if (!hasCanary && weight != RESET) {
                    Map<String, Object> c = newCanary.apply(map(copy(e)));
                    c.put("weight", weight);
                    out.add(c);
                    hasCanary = true;
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** The canary's weight in one list: 0 when it has no canary entry. */
    static int canaryWeight(List<Map<String, Object>> entries, Predicate<Map<String, Object>> canary, int missing) {
        return entries.stream().filter(canary).mapToInt(e -> weightOf(e, missing)).sum();
    }

    /**
     * What is wrong with one list after a write of {@code weight} ({@link #RESET}: stable at 100 and no canary), or
     * {@code null} when it holds what was written: "stable 100, canary 0".
     */
    static String mismatch(List<Map<String, Object>> entries, Predicate<Map<String, Object>> stable,
            Predicate<Map<String, Object>> canary, int weight, int missing) {
        List<Integer> stableWeights = entries.stream().filter(stable).map(e -> weightOf(e, missing)).toList();
        List<Integer> canaryWeights = entries.stream().filter(canary).map(e -> weightOf(e, missing)).toList();
        boolean ok = !stableWeights.isEmpty()
                && stableWeights.stream().allMatch(w -> w == (weight == RESET ? 100 : 100 - weight))
                && (weight == RESET ? canaryWeights.isEmpty() : canaryWeights.equals(List.of(weight)));
        return ok ? null : "stable " + join(stableWeights) + ", canary " + (canaryWeights.isEmpty() ? "absent"
                : join(canaryWeights));
    }

    /** Throws when the read-back differs from what was written; {@code problems} are {@link #mismatch} results. */
    static void verify(String describe, int weight, List<String> problems) throws DeployException {
        List<String> found = problems.stream().filter(Objects::nonNull).toList();
        if (!found.isEmpty()) {
            throw new DeployException(describe + " did not keep the weights just written (" + expected(weight)
                    + "); read back: " + String.join("; ", found) + ". Something else changes this object (a GitOps"
                    + " tool, a controller or an admission webhook?); it must leave the weights to this deployment.");
        }
    }

    static String expected(int weight) {
        return weight == RESET ? "stable 100, no canary" : "stable " + (100 - weight) + ", canary " + weight;
    }

    /** "a, b" from the distinct values in order, or "nothing". */
    static String join(Iterable<?> values) {
        Set<String> distinct = new LinkedHashSet<>();
        values.forEach(v -> distinct.add(String.valueOf(v)));
        return distinct.isEmpty() ? "nothing" : String.join(", ", distinct);
    }
}
