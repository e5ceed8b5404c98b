package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Services of a canary with a traffic router: while a canary runs, the stable Service selects only stable pods
 * (its selector is pinned to the stable ReplicaSet's {@code pod-template-hash}), and a canary Service selects only
 * canary pods. Without a router nothing here is used: the app's Service selects both versions.
 */
final class Services {
    static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private Services() {}

    /** Makes the stable Service select only pods with {@code hash}. */
    static void pin(KubeCluster cluster, String namespace, String service, String hash) throws DeployException {
        cluster.mergePatch(ResourceKind.SERVICE, namespace, service,
                Map.of("spec", Map.of("selector", Map.of(POD_TEMPLATE_HASH, hash))));
    }

    /** Lets the stable Service select by the app's own labels again. */
    static void unpin(KubeCluster cluster, String namespace, String service) throws DeployException {
        Map<String, Object> selector = new HashMap<>();
        selector.put(POD_TEMPLATE_HASH, null);
        if (cluster.get(ResourceKind.SERVICE, namespace, service) != null) {
            cluster.mergePatch(ResourceKind.SERVICE, namespace, service, Map.of("spec", Map.of("selector", selector)));
        }
    }

    /**
     * Creates the canary Service as a copy of the stable one's ports that selects {@code canaryPods}, unless a Service
     * of that name exists (then it is the user's and is left alone).
     *
     * @return true when we created it (and so remove it when the canary ends)
     */
    static boolean ensureCanaryService(KubeCluster cluster, String namespace, String stableService,
            String canaryService, Map<String, String> canaryPods, String app) throws DeployException {
        if (cluster.get(ResourceKind.SERVICE, namespace, canaryService) != null) {
            Map<String, String> labels = cluster.client().services().inNamespace(namespace).withName(canaryService)
                    .get().getMetadata().getLabels();
            return labels != null && labels.containsKey(CanaryState.CANARY_OF);
        }
        Service stable = cluster.client().services().inNamespace(namespace).withName(stableService).get();
        if (stable == null) {
            throw new DeployException("Service/" + stableService + " does not exist in namespace " + namespace
                    + "; a canary with a traffic router needs the stable Service (name it with stableService).");
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", new LinkedHashMap<>(canaryPods));
        spec.put("ports", stable.getSpec().getPorts().stream().map(p -> {
            Map<String, Object> port = new LinkedHashMap<>();
            if (p.getName() != null) {
                port.put("name", p.getName());
            }
            port.put("port", p.getPort());
            port.put("protocol", p.getProtocol());
            if (p.getTargetPort() != null) {
                port.put("targetPort", p.getTargetPort().getIntVal() != null ? p.getTargetPort().getIntVal()
                        : p.getTargetPort().getStrVal());
            }
            return port;
        }).toList());
        GenericKubernetesResource svc = new GenericKubernetesResource();
        svc.setApiVersion("v1");
        svc.setKind("Service");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(canaryService);
        meta.setLabels(Map.of(CanaryState.CANARY_OF, app));
        svc.setMetadata(meta);
        svc.setAdditionalProperty("spec", spec);
        cluster.apply(ResourceKind.SERVICE, namespace, svc);
        return true;
    }

    /** The Services in {@code namespace} whose selector picks pods labelled {@code podLabels}. */
    static List<String> selecting(KubeCluster cluster, String namespace, Map<String, String> podLabels) {
        return cluster.client().services().inNamespace(namespace).list().getItems().stream()
                .filter(s -> s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty())
                .filter(s -> podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                .map(s -> s.getMetadata().getName())
                .toList();
    }
}
