package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server says about the kinds of each API version (its discovery documents), asked once per version and kept
 * until forgotten; a version the server does not know yet (a custom resource whose definition is not installed) is
 * asked again next time.
 */
final class Discovery {
    private final KubernetesClient client;
    private final ClusterConnection connection;
    private final Map<String, Map<String, ResourceKind>> discovery = new ConcurrentHashMap<>();

    Discovery(KubernetesClient client, ClusterConnection connection) {
        this.client = client;
        this.connection = connection;
    }

    /** See {@link KubeCluster#kind}. */
    ResourceKind kind(String apiVersion, String kind) throws DeployException {
        Map<String, ResourceKind> kinds = discovery.get(apiVersion);
        if (kinds == null) {
            kinds = discover(apiVersion);
            if (!kinds.isEmpty()) {
                discovery.put(apiVersion, kinds);
            }
        }
        return kinds.get(kind);
    }

    void forget() {
        discovery.clear();
    }

    private Map<String, ResourceKind> discover(String apiVersion) throws DeployException {
        APIResourceList list;
        try {
            list = client.getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Map.of();
            }
            throw KubeClients.explain(e, connection, "discover the kinds of " + apiVersion);
        }
        Map<String, ResourceKind> kinds = new ConcurrentHashMap<>();
        if (list == null || list.getResources() == null) {
            return kinds;
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        for (APIResource r : list.getResources()) {
            if (!r.getName().contains("/")) {
                kinds.putIfAbsent(r.getKind(), new ResourceKind(group, version, r.getKind(), r.getName(),
                        Boolean.TRUE.equals(r.getNamespaced())));
            }
        }
        return kinds;
    }
}
