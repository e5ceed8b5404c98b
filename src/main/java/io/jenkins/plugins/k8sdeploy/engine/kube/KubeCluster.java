package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's one port to a cluster: discovery, server-side apply (real or dry run), reads, and a count of every HTTP
 * request made, so a deploy can say what it cost. Everything else in the engine talks to the cluster through this.
 */
public final class KubeCluster implements AutoCloseable {
    /** The field manager our server-side applies use: `kubectl get ... --show-managed-fields` shows it. */
    public static final String FIELD_MANAGER = "k8s-progressive-delivery";

    /**
     * Our client's user agent: its part before the "/" is the field manager the API server records for our writes
     * that name none (a rollback's edit), so that they too count as ours when a later apply meets them.
     */
    static final String USER_AGENT = FIELD_MANAGER + "/engine";

    private final ClusterConnection connection;
    private final KubernetesClient client;
    /** Every request any {@code KubeCluster} of this process made: what a benchmark of many rollouts reads. */
    private static final AtomicLong ALL_REQUESTS = new AtomicLong();

    private final AtomicLong requests = new AtomicLong();
    private final Map<String, Map<String, ResourceKind>> discovery = new ConcurrentHashMap<>();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private KubeCluster(ClusterConnection connection) {
        this.connection = connection;
        this.client = KubeClients.open(connection, new KubernetesClientBuilder()
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("k8spd-request-count", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        requests.incrementAndGet();
                        ALL_REQUESTS.incrementAndGet();
                    }
                })), USER_AGENT);
    }

    public static KubeCluster connect(ClusterConnection connection) {
        return new KubeCluster(connection);
    }

    public ClusterConnection connection() {
        return connection;
    }

    /** The fabric8 client, for the engine's typed reads and watches (Deployments, pods, events). */
    public KubernetesClient client() {
        return client;
    }

    /** HTTP requests made so far, watches and retries included. */
    public long requestCount() {
        return requests.get();
    }

    /** HTTP requests every client of this process made so far, watches and retries included. */
    public static long requestsInThisProcess() {
        return ALL_REQUESTS.get();
    }

    public String serverVersion() throws DeployException {
        return KubeClients.serverVersion(client, connection);
    }

    /**
     * What the server knows about {@code kind} in {@code apiVersion}, or {@code null} when it does not know it (a
     * custom resource whose definition is not installed yet).
     */
    public ResourceKind kind(String apiVersion, String kind) throws DeployException {
        Map<String, ResourceKind> kinds = discovery.get(apiVersion);
        if (kinds == null) {
            kinds = discover(apiVersion);
            if (!kinds.isEmpty()) {
                discovery.put(apiVersion, kinds);
            }
        }
        return kinds.get(kind);
    }

    /** Forgets what discovery said, after CRDs were installed. */
    public void forgetDiscovery() {
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

    /** The live object, or {@code null} when it does not exist. */
    public GenericKubernetesResource get(ResourceKind kind, String namespace, String name) throws DeployException {
        try {
            return resource(kind, namespace, name).get();
        } catch (KubernetesClientException e) {
            throw KubeClients.explain(e, connection, "get " + kind.plural() + "/" + name + where(namespace));
        }
    }

    /**
     * Server-side applies {@code manifest} into {@code namespace} (ignored for cluster-scoped kinds) with our field
     * manager. With {@code dryRun} the server validates, defaults and admits it, and stores nothing.
     *
     * @param force take over fields other managers own; without it the server refuses such an apply with a 409
     *     Conflict naming each field and its manager (see {@code FieldConflict}), as kubectl does
     * @return what the server stored, or would store
     * @throws KubernetesClientException as the server answered; {@link KubeClients#explain} words it
     */
    public GenericKubernetesResource apply(Manifest manifest, ResourceKind kind, String namespace, boolean dryRun,
            boolean force) {
        GenericKubernetesResource object = serialization.convertValue(manifest.body(), GenericKubernetesResource.class);
        if (kind.namespaced()) {
            object.getMetadata().setNamespace(namespace);
        }
        var op = client.genericKubernetesResources(context(kind));
        var target = kind.namespaced() ? op.inNamespace(namespace).resource(object) : op.resource(object);
        if (dryRun) {
            var applying = target.dryRun().fieldManager(FIELD_MANAGER);
            return force ? applying.forceConflicts().serverSideApply() : applying.serverSideApply();
        }
        var applying = target.fieldManager(FIELD_MANAGER);
        return force ? applying.forceConflicts().serverSideApply() : applying.serverSideApply();
    }

    /**
     * Changes part of a live object with a JSON merge patch (RFC 7386): the fields given replace, {@code null}
     * removes. Used for what the engine owns beside the user's manifests: canary state annotations, replica counts,
     * selectors and router weights.
     *
     * @return the object after the patch
     */
    public GenericKubernetesResource mergePatch(ResourceKind kind, String namespace, String name,
            Map<String, Object> patch) throws DeployException {
        try {
            return resource(kind, namespace, name).patch(
                    new io.fabric8.kubernetes.client.dsl.base.PatchContext.Builder()
                            .withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE)
                            .withFieldManager(FIELD_MANAGER)
                            .build(),
                    serialization.asJson(patch));
        } catch (KubernetesClientException e) {
            throw KubeClients.explain(e, connection, "change " + kind.plural() + "/" + name + where(namespace));
        }
    }

    /**
     * Sets (or, for {@code null} values, removes) annotations of an object, only if it is still at
     * {@code resourceVersion}, the version the caller read: false when someone changed it since (409 Conflict).
     */
    public boolean annotateIfUnchanged(ResourceKind kind, String namespace, String name, String resourceVersion,
            Map<String, String> annotations) throws DeployException {
        Map<String, Object> metadata = new java.util.HashMap<>();
        metadata.put("annotations", new java.util.HashMap<>(annotations));
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

    /** Creates or updates {@code object} with server-side apply and our field manager. */
    public GenericKubernetesResource apply(ResourceKind kind, String namespace, GenericKubernetesResource object)
            throws DeployException {
        try {
            if (kind.namespaced()) {
                object.getMetadata().setNamespace(namespace);
            }
            var op = client.genericKubernetesResources(context(kind));
            var target = kind.namespaced() ? op.inNamespace(namespace).resource(object) : op.resource(object);
            return target.fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            throw KubeClients.explain(e, connection, "apply " + kind.plural() + "/" + object.getMetadata().getName()
                    + where(namespace));
        }
    }

    /**
     * Deletes the object if it exists; its dependents (a Deployment's ReplicaSets and pods) are removed by the garbage
     * collector afterwards. True when there was one.
     */
    public boolean delete(ResourceKind kind, String namespace, String name) throws DeployException {
        try {
            return !resource(kind, namespace, name).delete().isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw KubeClients.explain(e, connection, "delete " + kind.plural() + "/" + name + where(namespace));
        }
    }

    private Resource<GenericKubernetesResource> resource(ResourceKind kind, String namespace, String name) {
        var op = client.genericKubernetesResources(context(kind));
        return kind.namespaced() ? op.inNamespace(namespace).withName(name) : op.withName(name);
    }

    public static ResourceDefinitionContext context(ResourceKind kind) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(kind.group())
                .withVersion(kind.version())
                .withKind(kind.kind())
                .withPlural(kind.plural())
                .withNamespaced(kind.namespaced())
                .build();
    }

    private static String where(String namespace) {
        return namespace == null ? "" : " in namespace " + namespace;
    }

    @Override
    public void close() {
        client.close();
    }
}
