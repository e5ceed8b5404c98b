package io.jenkins.plugins.k8sdeploy.engine.traffic;

import java.io.Serializable;
import java.util.Map;

/**
 * What a router needs to know about the two versions: the namespace, the Service in front of each, and the labels
 * that select each version's pods (for routers that split by pod labels, such as Istio subsets).
 *
 * @param stablePodLabels labels only stable pods carry (the app's selector plus the stable ReplicaSet's
 *     pod-template-hash)
 * @param canaryPodLabels labels only canary pods carry
 */
public record CanaryServices(
        String namespace,
        String stableService,
        String canaryService,
        Map<String, String> stablePodLabels,
        Map<String, String> canaryPodLabels) implements Serializable {

    public CanaryServices {
        stablePodLabels = Map.copyOf(stablePodLabels);
        canaryPodLabels = Map.copyOf(canaryPodLabels);
    }

    /**
     * The same services with stable pods selected by the app's own labels only, without the stable ReplicaSet's
     * {@code pod-template-hash}: for while the stable Deployment rolls to a new template (promotion) and for after the
     * canary is gone.
     */
    public CanaryServices unpinned() {
        Map<String, String> labels = new java.util.LinkedHashMap<>(stablePodLabels);
        labels.remove("pod-template-hash");
        return new CanaryServices(namespace, stableService, canaryService, labels, canaryPodLabels);
    }
}
