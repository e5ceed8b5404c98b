package io.jenkins.plugins.k8sdeploy.engine.rollout;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why new pods are not running when no container is at fault: the scheduler could not place them. Names what a user
 * must fix: the scheduler's own message ({@code 0/3 nodes are available: 3 Insufficient cpu}) and, for pods waiting
 * on storage, each claim with its phase and the volume controller's last word on it ({@code claim data (Pending): no
 * persistent volumes available for this claim and no storage class is set}).
 *
 * <p>One cause cannot resolve by itself: a claim that asks for a StorageClass that does not exist (no provisioner will
 * ever bind it). When every new pod waits on such a claim, the rollout fails at once instead of at its deadline.
 *
 * <p>The pods come from the watch's cache; claims, their events and storage classes are read from the API server,
 * at most once per claim every {@link #RECHECK} (a missing class is remembered: it does not appear by itself).
 */
final class Scheduling {
    static final Duration RECHECK = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Claim> claims = new ConcurrentHashMap<>();

    Scheduling(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** What is known of one claim: a line for the user, and whether it can never bind by itself. */
    record Claim(String line, boolean doomed, Instant checked) {}

    /** What the new pods wait on, or empty when none is unschedulable. */
    record Stuck(String reason, boolean doomed) {}

    /**
     * The new pods that the scheduler could not place, explained; {@code doomed} when every one of them waits on a
     * claim that can never bind. Pods being deleted are left out.
     */
    Optional<Stuck> of(List<Pod> pods) {
        List<Pod> live = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        List<Pod> unscheduled = live.stream().filter(p -> unschedulable(p) != null).toList();
        if (unscheduled.isEmpty()) {
            return Optional.empty();
        }
        Pod first = unscheduled.get(0);
        List<String> lines = new ArrayList<>();
        boolean firstDoomed = false;
        for (String name : claimNames(first)) {
            Claim c = claim(first.getMetadata().getNamespace(), name);
            lines.add(c.line());
            firstDoomed |= c.doomed();
        }
        boolean allDoomed = firstDoomed && unscheduled.size() == live.size() && unscheduled.stream()
                .allMatch(p -> claimNames(p).stream().anyMatch(n -> claim(p.getMetadata().getNamespace(), n).doomed()));
        String more = unscheduled.size() > 1 ? " (and " + (unscheduled.size() - 1) + " more pods like it)" : "";
        String why = "pod " + first.getMetadata().getName() + " cannot be scheduled"
                + (allDoomed ? " and will not be until the claim is fixed" : "") + ": "
                + trimPeriod(unschedulable(first)) + more + (lines.isEmpty() ? "" : "; " + String.join("; ", lines));
        return Optional.of(new Stuck(why, allDoomed));
    }

    /** The scheduler's message when it could not place {@code pod}, else null. */
    static String unschedulable(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null
                || pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
            return null;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                String reason = c.getReason() == null ? "Unschedulable" : c.getReason();
                return c.getMessage() == null || c.getMessage().isBlank() ? reason : c.getMessage();
            }
        }
        return null;
    }

    /** The scheduler ends its sentences with a period; the line goes on after it. */
    private static String trimPeriod(String message) {
        String m = message.strip();
        while (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        return m;
    }

    static List<String> claimNames(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName() != null) {
                names.add(v.getPersistentVolumeClaim().getClaimName());
            }
        }
        return names;
    }

    private Claim claim(String namespace, String name) {
        Instant now = clock.instant();
        Claim known = claims.get(name);
        if (known != null && (known.doomed() || known.checked().plus(RECHECK).isAfter(now))) {
            return known;
        }
        Claim c = read(namespace, name, now);
        claims.put(name, c);
        return c;
    }

    private Claim read(String namespace, String name, Instant now) {
        PersistentVolumeClaim pvc;
        try {
            pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            return new Claim("claim " + name + " could not be read (HTTP " + e.getCode() + ")", false, now);
        }
        if (pvc == null) {
            return new Claim("claim " + name + " does not exist", false, now);
        }
        String phase = pvc.getStatus() == null || pvc.getStatus().getPhase() == null ? "Pending"
                : pvc.getStatus().getPhase();
        if ("Bound".equals(phase)) {
            return new Claim("claim " + name + " is bound", false, now);
        }
        String storageClass = pvc.getSpec() == null ? null : pvc.getSpec().getStorageClassName();
        if (storageClass != null && !storageClass.isEmpty() && classMissing(storageClass)) {
            return new Claim("claim " + name + " (" + phase + ") asks for storage class " + storageClass
                    + ", which does not exist", true, now);
        }
        String event = lastEvent(namespace, name);
        return new Claim("claim " + name + " (" + phase + ")" + (event.isEmpty() ? "" : ": " + event), false, now);
    }

    /** True only when the API server said the class is not there (a credential that may not read classes: false). */
    private boolean classMissing(String name) {
        try {
            return client.storage().v1().storageClasses().withName(name).get() == null;
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    private String lastEvent(String namespace, String claim) {
        List<Event> events = RolloutWatch.eventsOf(client, namespace, claim).stream()
                .filter(e -> "PersistentVolumeClaim".equals(e.getInvolvedObject().getKind()))
                .toList();
        if (events.isEmpty()) {
            return "";
        }
        Event last = events.get(events.size() - 1);
        return last.getMessage() == null ? last.getReason() : last.getMessage();
    }
}
