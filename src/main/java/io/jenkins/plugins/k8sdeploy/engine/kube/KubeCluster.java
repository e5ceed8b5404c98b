package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The engine's one port to a cluster: discovery, server-side apply (real or dry run), reads, and a count of every HTTP
 * request made, so a deploy can say what it cost. Everything else in the engine talks to the cluster through this.
 *
 * <p>This class holds the connection, the request counts and the informer views; the work is done by
 * {@code Discovery} (the kinds the server knows), {@code GenericObjects} (get, apply, patch and delete objects of any
 * kind) and {@code CachedReads} (Deployments and pods, from the server or the shared informers).
 */
public final class KubeCluster implements AutoCloseable {
    /** The field manager our server-side applies use: `kubectl get ... --show-managed-fields` shows it. */
    public static final String FIELD_MANAGER = "k8s-progressive-delivery";

    /**
     * Our client's user agent: its part before the "/" is the field manager the API server records for our writes
     * that name none (a rollback's edit), so that they too count as ours when a later apply meets them.
     */
    static final String USER_AGENT = FIELD_MANAGER + "/engine";

    /** Every request any {@code KubeCluster} of this process made: what a benchmark of many rollouts reads. */
    private static final AtomicLong ALL_REQUESTS = new AtomicLong();

    private final ClusterConnection connection;
    private final SharedConnection shared;
    private final KubernetesClient client;
    private final AtomicLong requests = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Discovery discovery;
    private final GenericObjects objects;
    private final CachedReads reads;

    private KubeCluster(ClusterConnection connection) {
        this.connection = connection;
        this.shared = SharedConnection.acquire(connection);
        this.client = shared.lease(connection, countingOnly(requests));
        this.discovery = new Discovery(client, connection);
        this.objects = new GenericObjects(client, connection, shared);
        this.reads = new CachedReads(this, client, shared);
    }

    /**
     * A view of the cluster for one user (a rollout, a command): its own request count and default namespace, over
     * the HTTP client and informers this process shares for {@code connection} ({@link SharedConnection}). Close it
     * when done.
     */
    public static KubeCluster connect(ClusterConnection connection) {
        return new KubeCluster(connection);
    }

    /** Counts each request in this process's total and, when given, in {@code mine}. */
    static Interceptor countingOnly(AtomicLong mine) {
        return new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                ALL_REQUESTS.incrementAndGet();
                if (mine != null) {
                    mine.incrementAndGet();
                }
            }
        };
    }

    /**
     * Objects of {@code kind} in {@code namespace} that {@code filter} accepts, from the informer this process shares
     * for that kind and namespace on this connection: reading them costs no request, and {@code onChange} runs (on a
     * shared callback thread, so it must be quick) when one of them is added, changed or deleted. Returns once the
     * informer has its first list; close the view when done.
     *
     * @param source the objects of the kind in the namespace, from a client ({@code c -> c.pods().inNamespace(ns)})
     */
    public <T extends HasMetadata> Watched<T> watch(String kind, String namespace,
            java.util.function.Function<KubernetesClient, Informable<T>> source, Predicate<? super T> filter,
            Runnable onChange) {
        return shared.informers().watch(kind + "|" + namespace, source, filter, onChange);
    }

    /** As {@link #watch}, without waiting for the first list: start several, then wait for all. */
    public <T extends HasMetadata> java.util.concurrent.CompletableFuture<Watched<T>> watchAsync(String kind,
            String namespace, java.util.function.Function<KubernetesClient, Informable<T>> source,
            Predicate<? super T> filter, Runnable onChange) {
        return shared.informers().watchAsync(kind + "|" + namespace, source, filter, onChange);
    }

    /**
     * Informers open on this connection now for {@code namespace} (all namespaces when null), shared by all its users
     * (for tests and benchmarks).
     */
    public int sharedInformers(String namespace) {
        return shared.informers().count(namespace);
    }

    /**
     * From now on, {@link #deployment} and {@link #pods} read from informers this process shares for the namespace
     * (no request, unless the cached copy is older than what was written to it through this connection, or the
     * informer's watch is down and the cache may be behind), and
     * {@code onChange} runs when something read that way changes: a Deployment of a name read, or a pod matching a
     * selector read. For a rollout driven by ticks; short commands read from the server.
     */
    public void readFromCaches(Runnable onChange) {
        reads.readFromCaches(onChange);
    }

    /** The Deployment, or {@code null} when there is none. */
    public Deployment deployment(String namespace, String name) {
        return reads.deployment(namespace, name);
    }

    /** The pods whose labels include {@code labels}. */
    public java.util.List<Pod> pods(String namespace, Map<String, String> labels) {
        return reads.pods(namespace, labels);
    }

    /**
     * What {@code open} opens (watches a tick reads), kept under {@code key} until {@link #forget} or until this view
     * of the cluster closes, so that ticks in between reuse it. {@code open} gets what to run on a change: the wake-up
     * given to {@link #readFromCaches}, or nothing.
     */
    public <T extends AutoCloseable> T held(String key, java.util.function.Function<Runnable, T> open) {
        return reads.held(key, open);
    }

    /** Closes what {@link #held} keeps under {@code key}, if anything. */
    public void forget(String key) {
        reads.forget(key);
    }

    /** Connections (HTTP clients with their informers) open in this process now (for tests and benchmarks). */
    public static int openConnections() {
        return SharedConnection.openCount();
    }

    /**
     * How many users the one connection for {@code c}'s server and credentials has in this process now; 0 when none
     * is open (for tests: unlike {@link #openConnections()}, other users in the process do not change it).
     */
    public static int connectionUsers(ClusterConnection c) {
        return SharedConnection.users(c);
    }

    /** The process's one mapper for Kubernetes objects (JSON and YAML): conversions share its caches. */
    public static KubernetesSerialization serialization() {
        return Transport.SERIALIZATION;
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
        return discovery.kind(apiVersion, kind);
    }

    /** Forgets what discovery said, after CRDs were installed. */
    public void forgetDiscovery() {
        discovery.forget();
    }

    /** The live object, or {@code null} when it does not exist. */
    public GenericKubernetesResource get(ResourceKind kind, String namespace, String name) throws DeployException {
        return objects.get(kind, namespace, name);
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
        return objects.apply(manifest, kind, namespace, dryRun, force);
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
        return objects.mergePatch(kind, namespace, name, patch);
    }

    /**
     * Sets (or, for {@code null} values, removes) annotations of an object, only if it is still at
     * {@code resourceVersion}, the version the caller read: false when someone changed it since (409 Conflict).
     */
    public boolean annotateIfUnchanged(ResourceKind kind, String namespace, String name, String resourceVersion,
            Map<String, String> annotations) throws DeployException {
        return objects.annotateIfUnchanged(kind, namespace, name, resourceVersion, annotations);
    }

    /** Creates or updates {@code object} with server-side apply and our field manager. */
    public GenericKubernetesResource apply(ResourceKind kind, String namespace, GenericKubernetesResource object)
            throws DeployException {
        return objects.apply(kind, namespace, object);
    }

    /**
     * Deletes the object if it exists; its dependents (a Deployment's ReplicaSets and pods) are removed by the garbage
     * collector afterwards. True when there was one.
     */
    public boolean delete(ResourceKind kind, String namespace, String name) throws DeployException {
        return objects.delete(kind, namespace, name);
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

    /** Done with the cluster: the shared client closes when its last user is. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            reads.close();
            shared.release();
        }
    }
}
