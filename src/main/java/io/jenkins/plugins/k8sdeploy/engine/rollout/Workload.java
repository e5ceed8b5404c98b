package io.jenkins.plugins.k8sdeploy.engine.rollout;

import java.util.Map;
import java.util.Set;

/**
 * A workload the deploy waits for: its kind, where it is, and for custom resources the condition that means done.
 *
 * @param podSelector the matchLabels of its pod selector, or {@code null} (jobs, custom resources)
 * @param readyCondition for custom resources only: the condition type that means "rolled out" ("Ready")
 */
public record Workload(
        String apiVersion,
        String kind,
        String namespace,
        String name,
        Map<String, String> podSelector,
        String readyCondition) implements java.io.Serializable {

    public Workload {
        podSelector = podSelector == null ? null : Map.copyOf(podSelector);
    }

    /** Kinds with a rule of their own in {@link CompletionRules}. */
    public static final Set<String> BUILT_IN = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job");

    /** Kinds that keep earlier revisions, so can be rolled back. */
    public static final Set<String> ROLLBACK_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    /** Annotation on a custom resource that opts it in: its value is the condition type to wait for. */
    public static final String WAIT_FOR_CONDITION_ANNOTATION = "k8s-progressive-delivery.jenkins.io/wait-for-condition";

    public String describe() {
        return kind + "/" + name + " in " + namespace;
    }

    public boolean isBuiltIn() {
        return BUILT_IN.contains(kind) && (apiVersion.equals("apps/v1") || apiVersion.equals("batch/v1"));
    }
}
