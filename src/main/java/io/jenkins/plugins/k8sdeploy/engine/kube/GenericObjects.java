package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.util.HashMap;
import java.util.Map;

/**
 * Objects of any kind, by name, through fabric8's generic resource API: get, server-side apply with our field manager
 * (real or dry run, forcing or not), merge patch, conditional annotation, delete. Every write notes the resourceVersion
 * it produced in the {@link SharedConnection}, so that a cached read older than it is not used.
 */
final class GenericObjects {
    private final KubernetesClient client;
    private final ClusterConnection connection;
    private final SharedConnection shared;
    private final KubernetesSerialization serialization = Transport.SERIALIZATION;

    GenericObjects(KubernetesClient client, ClusterConnection connection, SharedConnection shared) {
        this.client = client;
        this.connection = connection;
        this.shared = shared;
    }

    /** See {@link KubeCluster#get}. */
    GenericKubernetesResource get(ResourceKind kind, String namespace, String name) throws DeployException {
        try {
            return resource(kind, namespace, name).get();
        } catch (KubernetesClientException e) {
            throw KubeClients.explain(e, connection, "get " + kind.plural() + "/" + name + where(namespace));
        }
    }

    /** See {@link KubeCluster#apply(Manifest, ResourceKind, String, boolean, boolean)}. */
    GenericKubernetesResource apply(Manifest manifest, ResourceKind kind, String namespace, boolean dryRun,
            boolean force) {
        GenericKubernetesResource object = serialization.convertValue(manifest.body(), GenericKubernetesResource.class);
        if (kind.namespaced()) {
            object.getMetadata().setNamespace(namespace);
        }
        var op = client.genericKubernetesResources(KubeCluster.context(kind));
        var target = kind.namespaced() ? op.inNamespace(namespace).resource(object) : op.resource(object);
        if (dryRun) {
            var applying = target.dryRun().fieldManager(KubeCluster.FIELD_MANAGER);
            return force ? applying.forceConflicts().serverSideApply() : applying.serverSideApply();
        }
        var applying = target.fieldManager(KubeCluster.FIELD_MANAGER);
        return wrote(kind, namespace, force ? applying.forceConflicts().serverSideApply() : applying.serverSideApply());
    }

    /** See {@link KubeCluster#mergePatch}. */
    GenericKubernetesResource mergePatch(ResourceKind kind, String namespace, String name,
            Map<String, Object> patch) throws DeployException {
        try {
            return wrote(kind, namespace, resource(kind, namespace, name).patch(
                    new PatchContext.Builder()
                            .withPatchType(PatchType.JSON_MERGE)
                            .withFieldManager(KubeCluster.FIELD_MANAGER)
                            .build(),
                    serialization.asJson(patch)));
        } catch (KubernetesClientException e) {
            throw KubeClients.explain(e, connection, "change " + kind.plural() + "/" + name + where(namespace));
        }
    }

    /** See {@link KubeCluster#annotateIfUnchanged}. */
    boolean annotateIfUnchanged(ResourceKind kind, String namespace, String name, String resourceVersion,
            Map<String, String> annotations) throws DeployException {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("annotations", new HashMap<>(annotations));
        metadata.put("resourceVersion", resourceVersion);
        try {
            mergePatch(kind, namespace, name, Map.of("metadata", metadata));
            return true;
        } catch (DeployException e) {
            if (e.getCause() instanceof KubernetesClientException k && k.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** See {@link KubeCluster#apply(ResourceKind, String, GenericKubernetesResource)}. */
    GenericKubernetesResource apply(ResourceKind kind, String namespace, GenericKubernetesResource object)
            throws DeployException {
        try {
            if (kind.namespaced()) {
                object.getMetadata().setNamespace(namespace);
            }
            var op = client.genericKubernetesResources(KubeCluster.context(kind));
            var target = kind.namespaced() ? op.inNamespace(namespace).resource(object) : op.resource(object);
            return wrote(kind, namespace,
                    target.fieldManager(KubeCluster.FIELD_MANAGER).forceConflicts().serverSideApply());
        } catch (KubernetesClientException e) {
            throw KubeClients.explain(e, connection, "apply " + kind.plural() + "/" + object.getMetadata().getName()
                    + where(namespace));
        }
    }

    /** See {@link KubeCluster#delete}. */
    boolean delete(ResourceKind kind, String namespace, String name) throws DeployException {
        try {
            return !resource(kind, namespace, name).delete().isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw KubeClients.explain(e, connection, "delete " + kind.plural() + "/" + name + where(namespace));
        }
    }

    /** Notes what was written, so that a cached read older than it is not used. */
    private GenericKubernetesResource wrote(ResourceKind kind, String namespace, GenericKubernetesResource stored) {
        if (stored != null && stored.getMetadata() != null) {
            shared.wrote(kind.kind() + "|" + namespace + "|" + stored.getMetadata().getName(),
                    stored.getMetadata().getResourceVersion());
        }
        return stored;
    }

    private Resource<GenericKubernetesResource> resource(ResourceKind kind, String namespace, String name) {
        var op = client.genericKubernetesResources(KubeCluster.context(kind));
        return kind.namespaced() ? op.inNamespace(namespace).withName(name) : op.withName(name);
    }

    private static String where(String namespace) {
        return namespace == null ? "" : " in namespace " + namespace;
    }
}
