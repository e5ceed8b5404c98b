package io.jenkins.plugins.k8sdeploy.engine.rollout;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a pod that cannot succeed from one that is merely slow, by the kubelet's own words. A rollout whose new pods
 * are all doomed fails at once with the pod's reason, instead of at the progress deadline (kubectl's blind spot).
 */
public final class PodDiagnosis {
    /**
     * Waiting reasons a container does not recover from without a change to the pod spec or image. ImagePullBackOff
     * follows ErrImagePull for a tag that does not exist; CrashLoopBackOff means it started and died more than once.
     */
    static final Set<String> DOOMED_WAITING = Set.of(
            "CrashLoopBackOff",
            "ErrImagePull",
            "ImagePullBackOff",
            "InvalidImageName",
            "ErrImageNeverPull",
            "CreateContainerConfigError",
            "CreateContainerError",
            "RunContainerError");

    private PodDiagnosis() {}

    /** Why {@code pod} cannot become ready, or empty when it might still. */
    public static Optional<String> doomed(Pod pod) {
        var status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        String name = "pod " + pod.getMetadata().getName();
        if ("Failed".equals(status.getPhase())) {
            return Optional.of(name + " failed: " + status.getReason() + " " + nullToEmpty(status.getMessage()));
        }
        for (ContainerStatus c : list(status.getInitContainerStatuses())) {
            Optional<String> why = waiting(c, name + " init container " + c.getName());
            if (why.isPresent()) {
                return why;
            }
            var terminated = c.getState() == null ? null : c.getState().getTerminated();
            if (terminated != null && terminated.getExitCode() != null && terminated.getExitCode() != 0) {
                return Optional.of(name + " init container " + c.getName() + " failed with exit code "
                        + terminated.getExitCode() + " (" + terminated.getReason() + ")");
            }
        }
        for (ContainerStatus c : list(status.getContainerStatuses())) {
            Optional<String> why = waiting(c, name + " container " + c.getName());
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    /**
     * The reason to fail a rollout whose new pods are {@code pods}: present only when there is at least one pod and
     * every one of them is doomed, so one unlucky node does not fail a deploy that would succeed.
     */
    public static Optional<Doom> allDoomed(List<Pod> pods) {
        if (pods.isEmpty()) {
            return Optional.empty();
        }
        List<String> reasons = new ArrayList<>();
        Pod first = null;
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Optional<String> why = doomed(pod);
            if (why.isEmpty()) {
                return Optional.empty();
            }
            if (first == null) {
                first = pod;
            }
            reasons.add(why.get());
        }
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        String more = reasons.size() > 1 ? " (and " + (reasons.size() - 1) + " more pods like it)" : "";
        return Optional.of(new Doom(first, reasons.get(0) + more));
    }

    /** Why a rollout cannot finish, and the first pod that shows it (for its events). */
    public record Doom(Pod pod, String reason) {}

    private static Optional<String> waiting(ContainerStatus c, String who) {
        var waiting = c.getState() == null ? null : c.getState().getWaiting();
        if (waiting == null || !DOOMED_WAITING.contains(waiting.getReason())) {
            return Optional.empty();
        }
        if ("CrashLoopBackOff".equals(waiting.getReason()) && c.getLastState() != null
                && c.getLastState().getTerminated() != null) {
            var last = c.getLastState().getTerminated();
            return Optional.of(who + " is in CrashLoopBackOff after " + c.getRestartCount() + " restarts (last exit"
                    + " code " + last.getExitCode() + ", " + last.getReason() + "): " + nullToEmpty(waiting.getMessage()));
        }
        return Optional.of(who + " cannot start: " + waiting.getReason() + ": " + nullToEmpty(waiting.getMessage()));
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
