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
}
