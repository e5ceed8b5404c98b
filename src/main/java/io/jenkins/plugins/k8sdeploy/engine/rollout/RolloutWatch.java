package io.jenkins.plugins.k8sdeploy.engine.rollout;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.kube.Watched;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Keeps an up-to-date view of one workload and its pods through fabric8 informers (a list, then a watch; re-listed on
 * 410 Gone and reconnected with backoff by the informer), and judges it from that view on demand: no request per
 * check. {@code onChange} runs on the informer's thread after every change, so a waiter can wake up at once. New pods
 * that cannot start ({@link PodDiagnosis}) or cannot be scheduled ({@link Scheduling}) are named in the status.
 */
public final class RolloutWatch implements AutoCloseable {
    static final String REVISION = "deployment.kubernetes.io/revision";

    private final Workload workload;
    private final KubernetesClient client;
    private final List<Watched<?>> views = new ArrayList<>();
    private final Watched<? extends HasMetadata> object;
    private final Watched<ReplicaSet> replicaSets;
    private final Watched<Pod> pods;
    private final Scheduling scheduling;
    private volatile boolean seen;

    private RolloutWatch(KubeCluster cluster, Workload workload, ResourceKind kind, Runnable onChange) {
        this.workload = workload;
        this.client = cluster.client();
        this.scheduling = new Scheduling(client, java.time.Clock.systemUTC());
        String ns = workload.namespace();
        String name = workload.name();
        // The three informers start together: one round trip of lists and watches, not three in a row.
        CompletableFuture<? extends Watched<? extends HasMetadata>> o = switch (workload.isBuiltIn()
                ? workload.kind() : "") {
            case "Deployment" -> cluster.watchAsync("apps/v1/Deployment", ns,
                    c -> c.apps().deployments().inNamespace(ns), named(name), onChange);
            case "StatefulSet" -> cluster.watchAsync("apps/v1/StatefulSet", ns,
                    c -> c.apps().statefulSets().inNamespace(ns), named(name), onChange);
            case "DaemonSet" -> cluster.watchAsync("apps/v1/DaemonSet", ns,
                    c -> c.apps().daemonSets().inNamespace(ns), named(name), onChange);
            case "Job" -> cluster.watchAsync("batch/v1/Job", ns, c -> c.batch().v1().jobs().inNamespace(ns),
                    named(name), onChange);
            default -> cluster.watchAsync(kind.group() + "/" + kind.version() + "/" + kind.kind(), ns,
                    c -> c.genericKubernetesResources(KubeCluster.context(kind)).inNamespace(ns), named(name),
                    onChange);
        };
        Map<String, String> selector = workload.podSelector();
        CompletableFuture<Watched<ReplicaSet>> rs = "Deployment".equals(workload.kind()) && workload.isBuiltIn()
                && selector != null
                ? cluster.watchAsync("apps/v1/ReplicaSet", ns, c -> c.apps().replicaSets().inNamespace(ns),
                        labelled(selector), onChange)
                : CompletableFuture.completedFuture(null);
        CompletableFuture<Watched<Pod>> p = selector == null || "Job".equals(workload.kind())
                ? CompletableFuture.completedFuture(null)
                : cluster.watchAsync("v1/Pod", ns, c -> c.pods().inNamespace(ns), labelled(selector), onChange);
        try {
            object = view(join(o));
            replicaSets = view(join(rs));
            pods = view(join(p));
        } catch (RuntimeException e) {
            // Whichever started is closed again, once it has.
            for (CompletableFuture<? extends Watched<?>> f : List.of(o, rs, p)) {
                f.thenAccept(w -> {
                    if (w != null) {
                        w.close();
                    }
                });
            }
            throw e;
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Starts watching; returns once the first list has arrived. The informers are the ones this process shares for
     * the workload's namespace ({@link KubeCluster#watch}); {@code onChange} runs when the workload, its ReplicaSets
     * or its pods change.
     */
    public static RolloutWatch start(KubeCluster cluster, Workload workload, ResourceKind kind, Runnable onChange) {
        return new RolloutWatch(cluster, workload, kind, onChange);
    }

    private <W extends Watched<?>> W view(W view) {
        if (view != null) {
            views.add(view);
        }
        return view;
    }

    private static Predicate<HasMetadata> named(String name) {
        return o -> name.equals(o.getMetadata().getName());
    }

    private static Predicate<HasMetadata> labelled(Map<String, String> selector) {
        return o -> {
            Map<String, String> labels = o.getMetadata().getLabels();
            return labels != null && labels.entrySet().containsAll(selector.entrySet());
        };
    }

    public Workload workload() {
        return workload;
    }

    /** The workload as the informer last saw it, or {@code null} when it does not exist. */
    public HasMetadata current() {
        List<? extends HasMetadata> items = object.items();
        return items.isEmpty() ? null : items.get(0);
    }

    /** Judges the rollout from the cached view. */
    public RolloutStatus evaluate() {
        HasMetadata current = current();
        if (current == null) {
            return seen
                    ? RolloutStatus.failed("was deleted while the rollout was being watched")
                    : RolloutStatus.progressing("waiting for it to appear");
        }
        seen = true;
        RolloutStatus status = switch (current) {
            case Deployment d -> CompletionRules.deployment(d);
            case StatefulSet s -> CompletionRules.statefulSet(s);
            case DaemonSet ds -> CompletionRules.daemonSet(ds);
            case Job j -> CompletionRules.job(j);
            case GenericKubernetesResource r -> CompletionRules.customResource(r, workload.readyCondition());
            default -> RolloutStatus.done("no rule for " + current.getKind());
        };
        if (status.isFailed() && current instanceof Deployment d && staleDeadline(d)) {
            // Right after a rollback the controller may publish its new observedGeneration before it judges the
            // revision again: the condition still names the ReplicaSet that timed out, not the current one.
            return RolloutStatus.progressing("waiting for the deployment controller to judge the current revision");
        }
        if (status.phase() != RolloutStatus.Phase.PROGRESSING || pods == null) {
            return status;
        }
        List<Pod> fresh = newPods(current);
        Optional<PodDiagnosis.Doom> doomed = PodDiagnosis.allDoomed(fresh);
        if (doomed.isPresent()) {
            return RolloutStatus.failed(doomed.get().reason() + recentEvents(doomed.get().pod()));
        }
        return scheduling.of(fresh).map(stuck -> stuck.doomed() ? RolloutStatus.failed(stuck.reason())
                : RolloutStatus.progressing(status.message() + "; " + stuck.reason())).orElse(status);
    }

    private String recentEvents(Pod pod) {
        return recentEvents(client, pod);
    }

    /**
     * The pod's last few events, fetched once when it is found doomed: ". Recent events: Failed: ...; BackOff: ...",
     * or "" when there are none or they cannot be read.
     */
    public static String recentEvents(KubernetesClient client, Pod pod) {
        List<String> lines = eventsOf(client, pod.getMetadata().getNamespace(), pod.getMetadata().getName()).stream()
                .map(e -> e.getReason() + ": " + e.getMessage())
                .distinct()
                .toList();
        if (lines.isEmpty()) {
            return "";
        }
        return ". Recent events: " + String.join("; ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /** The events about the object {@code name} in {@code namespace}, oldest first; none when they cannot be read. */
    static List<Event> eventsOf(KubernetesClient client, String namespace, String name) {
        try {
            return client.v1().events().inNamespace(namespace).withField("involvedObject.name", name).list()
                    .getItems().stream()
                    .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp() != null
                            ? e.getLastTimestamp() : e.getEventTime() != null ? e.getEventTime().getTime() : "")))
                    .toList();
        } catch (KubernetesClientException e) {
            return List.of();
        }
    }

    /** The pods of the revision being rolled out. */
    List<Pod> newPods(HasMetadata current) {
        String label;
        String value;
        switch (current) {
            case Deployment d -> {
                if (!observedLatest(d)) {
                    // Until the controller has seen the latest template its revision annotation may still name the
                    // revision before it (right after a rollback: the failed one), whose pods are not this rollout's.
                    return List.of();
                }
                ReplicaSet rs = newReplicaSet(d);
                if (rs == null || rs.getMetadata().getLabels() == null) {
                    return List.of();
                }
                label = "pod-template-hash";
                value = rs.getMetadata().getLabels().get(label);
            }
            case StatefulSet s -> {
                label = "controller-revision-hash";
                value = s.getStatus() == null ? null : s.getStatus().getUpdateRevision();
            }
            case DaemonSet ds -> {
                // A DaemonSet's pods carry the hash of the controller revision, which its status does not name;
                // judging all of its pods is the closest reliable view.
                return pods.items();
            }
            default -> {
                return List.of();
            }
        }
        if (value == null) {
            return List.of();
        }
        return pods.items().stream()
                .filter(p -> p.getMetadata().getLabels() != null && value.equals(p.getMetadata().getLabels().get(label)))
                .toList();
    }

    /** True when the deployment controller has seen the Deployment's latest generation. */
    static boolean observedLatest(Deployment d) {
        Long generation = d.getMetadata().getGeneration();
        Long observed = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
        return generation == null || observed != null && observed >= generation;
    }

    /**
     * True when the Deployment's "progress deadline exceeded" condition is about a ReplicaSet other than its current
     * revision's (or the current one is not known yet): the controller has not judged the current revision.
     */
    boolean staleDeadline(Deployment d) {
        if (replicaSets == null || d.getStatus() == null || d.getStatus().getConditions() == null) {
            return false;
        }
        for (var c : d.getStatus().getConditions()) {
            if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                String message = Objects.toString(c.getMessage(), "");
                int start = message.indexOf("ReplicaSet \"");
                if (start < 0) {
                    return false;
                }
                int from = start + "ReplicaSet \"".length();
                int end = message.indexOf('"', from);
                if (end < 0) {
                    return false;
                }
                ReplicaSet current = newReplicaSet(d);
                return current == null || !message.substring(from, end).equals(current.getMetadata().getName());
            }
        }
        return false;
    }

    /** The ReplicaSet of the deployment's current revision. */
    ReplicaSet newReplicaSet(Deployment d) {
        if (replicaSets == null || d.getMetadata().getAnnotations() == null) {
            return null;
        }
        String revision = d.getMetadata().getAnnotations().get(REVISION);
        return replicaSets.items().stream()
                .filter(rs -> ownedBy(rs, d))
                .filter(rs -> rs.getMetadata().getAnnotations() != null
                        && Objects.equals(revision, rs.getMetadata().getAnnotations().get(REVISION)))
                .max(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp()))
                .orElse(null);
    }

    static boolean ownedBy(HasMetadata child, HasMetadata owner) {
        return child.getMetadata().getOwnerReferences() != null
                && child.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> Objects.equals(o.getUid(), owner.getMetadata().getUid()));
    }

    @Override
    public void close() {
        views.forEach(Watched::close);
    }
}
