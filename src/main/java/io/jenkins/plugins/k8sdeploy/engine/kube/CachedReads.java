package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A {@link KubeCluster}'s typed reads of Deployments and pods: from the server, or, once
 * {@link KubeCluster#readFromCaches} was called, from the informers the process shares (read your writes: a cached
 * copy older than what this process wrote is replaced by a GET), waking the reader when what it read changes; and the
 * watches a tick keeps open between ticks ({@link #held}).
 */
final class CachedReads {
    private final KubeCluster cluster;
    private final KubernetesClient client;
    private final SharedConnection shared;
    private volatile Runnable onChange;
    private final Map<String, Interest> interests = new ConcurrentHashMap<>();
    private final Map<String, AutoCloseable> held = new ConcurrentHashMap<>();

    CachedReads(KubeCluster cluster, KubernetesClient client, SharedConnection shared) {
        this.cluster = cluster;
        this.client = client;
        this.shared = shared;
    }

    /** See {@link KubeCluster#readFromCaches}. */
    void readFromCaches(Runnable onChange) {
        this.onChange = onChange;
    }

    /** See {@link KubeCluster#deployment}. */
    Deployment deployment(String namespace, String name) {
        Runnable wake = onChange;
        if (wake == null) {
            return client.apps().deployments().inNamespace(namespace).withName(name).get();
        }
        Interest interest = interest(namespace);
        interest.names.add(name);
        Watched<Deployment> view;
        try {
            view = interest.deployments(cluster, namespace, wake);
        } catch (KubernetesClientException e) {
            onChange = null; // not allowed to list and watch there (or not now): read from the server
            return client.apps().deployments().inNamespace(namespace).withName(name).get();
        }
        if (!view.live()) {
            return client.apps().deployments().inNamespace(namespace).withName(name).get();
        }
        Deployment cached = view.items().stream().filter(d -> name.equals(d.getMetadata().getName())).findFirst()
                .orElse(null);
        String object = "Deployment|" + namespace + "|" + name;
        if (cached != null && shared.fresh(object, cached.getMetadata().getResourceVersion())) {
            return cached;
        }
        // Older than our own write, or absent: the server says (a rollout fails when an object it drives is gone, so
        // absence is always confirmed; it is rare, so this costs nothing while all goes well).
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    /** See {@link KubeCluster#pods}. */
    List<Pod> pods(String namespace, Map<String, String> labels) {
        Runnable wake = onChange;
        if (wake == null) {
            return client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
        }
        Interest interest = interest(namespace);
        interest.selectors.add(Map.copyOf(labels));
        Watched<Pod> view;
        try {
            view = interest.pods(cluster, namespace, wake);
        } catch (KubernetesClientException e) {
            onChange = null;
            return client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
        }
        if (!view.live()) {
            return client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
        }
        return view.items().stream().filter(p -> matches(p, labels)).toList();
    }

    /** See {@link KubeCluster#held}. */
    @SuppressWarnings("unchecked")
    <T extends AutoCloseable> T held(String key, Function<Runnable, T> open) {
        Runnable wake = onChange;
        return (T) held.computeIfAbsent(key, k -> open.apply(wake != null ? wake : () -> {}));
    }

    /** Closes what {@link #held} keeps under {@code key}, if anything. */
    void forget(String key) {
        AutoCloseable c = held.remove(key);
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a watch does not fail in a way worth reporting
            }
        }
    }

    /** Closes what this user holds and the informer views it read from. */
    void close() {
        held.keySet().forEach(this::forget);
        interests.values().forEach(Interest::close);
    }

    private Interest interest(String namespace) {
        return interests.computeIfAbsent(namespace, ns -> new Interest());
    }

    private static boolean matches(HasMetadata o, Map<String, String> labels) {
        Map<String, String> have = o.getMetadata().getLabels();
        return have != null && have.entrySet().containsAll(labels.entrySet());
    }

    /** What this user reads in one namespace from the caches, and so is woken for. */
    private static final class Interest {
        final Set<String> names = ConcurrentHashMap.newKeySet();
        final Set<Map<String, String>> selectors = ConcurrentHashMap.newKeySet();
        private Watched<Deployment> deployments;
        private Watched<Pod> pods;

        synchronized Watched<Deployment> deployments(KubeCluster cluster, String ns, Runnable wake) {
            if (deployments == null) {
                deployments = cluster.watch("apps/v1/Deployment", ns, c -> c.apps().deployments().inNamespace(ns),
                        d -> names.contains(d.getMetadata().getName()), wake);
            }
            return deployments;
        }

        synchronized Watched<Pod> pods(KubeCluster cluster, String ns, Runnable wake) {
            if (pods == null) {
                pods = cluster.watch("v1/Pod", ns, c -> c.pods().inNamespace(ns),
                        p -> selectors.stream().anyMatch(s -> matches(p, s)), wake);
            }
            return pods;
        }

        synchronized void close() {
            if (deployments != null) {
                deployments.close();
            }
            if (pods != null) {
                pods.close();
            }
        }
    }
}
