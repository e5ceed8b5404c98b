package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.rollout.CompletionRules;
import io.jenkins.plugins.k8sdeploy.engine.rollout.PodDiagnosis;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one tick of a {@link CanaryRollout} read from the cluster, as plain values: the stable Deployment (always),
 * and the canary Deployment and its pods when the phase needs them. {@link CanaryDecider} decides from it alone.
 *
 * @param stable null when the stable Deployment is gone
 * @param stableAnnotations its annotations (the canary's state and a command from outside)
 * @param stableVersion its resourceVersion, so that a command is taken only from the Deployment as read
 * @param canary null when the canary Deployment is gone or was not read
 * @param promotionManifest the app's manifest kept on the canary Deployment for full promotion, or null
 * @param canaryPods how many canary pods there are; -1 when not read
 * @param doomed why every canary pod fails and will keep failing, or null
 */
record CanaryObservation(Workload stable, Map<String, String> stableAnnotations, String stableVersion,
        Workload canary, String promotionManifest, int canaryPods, String doomed) {

    /**
     * One Deployment as the decision needs it.
     *
     * @param generation its current generation
     * @param observedGeneration the generation its status was written for; null when none yet
     * @param statusReplicas how many pods it has (status.replicas)
     * @param status its rollout status by kubectl's rules
     */
    record Workload(String name, int replicas, int available, int statusReplicas, long generation,
            Long observedGeneration, RolloutStatus status) {

        static Workload of(Deployment d) {
            if (d == null) {
                return null;
            }
            var s = d.getStatus();
            return new Workload(d.getMetadata().getName(), CanaryRollout.replicas(d), CanaryRollout.available(d),
                    s == null ? 0 : Objects.requireNonNullElse(s.getReplicas(), 0),
                    Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L),
                    s == null ? null : s.getObservedGeneration(), CompletionRules.deployment(d));
        }
    }

    /** Reads the stable Deployment, then what the rollout's phase needs. */
    static CanaryObservation read(KubeCluster cluster, CanaryRollout r) {
        Deployment stable = cluster.deployment(r.namespace, r.app);
        var seen = new CanaryObservation(Workload.of(stable), CanaryState.annotations(stable),
                stable == null ? null : stable.getMetadata().getResourceVersion(), null, null, -1, null);
        return stable == null ? seen : seen.readPhase(cluster, r);
    }

    /**
     * The same stable Deployment, without the command just taken; with {@code cluster} (the phase changed), what the
     * rollout's phase needs now is read again, else what was read stays.
     */
    CanaryObservation again(KubeCluster cluster, CanaryRollout r) {
        Map<String, String> a = new java.util.HashMap<>(stableAnnotations);
        a.remove(CanaryState.COMMAND);
        var seen = new CanaryObservation(stable, Map.copyOf(a), stableVersion, canary, promotionManifest, canaryPods,
                doomed);
        return cluster == null ? seen : seen.readPhase(cluster, r);
    }

    /**
     * The canary Deployment and its pods, where the phase looks at them: while the steps run (the pods for a doomed
     * canary), before a promotion (its manifest), while a promoted canary drains, and when an abort begins (the
     * Deployment) or ends (the pods).
     */
    private CanaryObservation readPhase(KubeCluster cluster, CanaryRollout r) {
        boolean canary = switch (r.phase) {
            case STEPS -> true;
            case PROMOTING -> !r.promoteApplied || !r.canaryDrained && stable.status().isDone();
            case ABORTING -> !r.abortIssued;
            case DONE -> false;
        };
        Deployment c = canary ? cluster.deployment(r.namespace, r.canaryName) : null;
        boolean pods = switch (r.phase) {
            case STEPS -> c != null;
            case PROMOTING -> canary && r.promoteApplied && CanaryRollout.replicas(c) == 0;
            case ABORTING -> r.abortIssued;
            case DONE -> false;
        };
        List<Pod> canaryPods = pods ? cluster.pods(r.namespace, r.services.canaryPodLabels()) : List.of();
        String doomed = PodDiagnosis.allDoomed(canaryPods).map(PodDiagnosis.Doom::reason).orElse(null);
        return new CanaryObservation(stable, stableAnnotations, stableVersion, Workload.of(c),
                c == null ? null : CanaryState.annotations(c).get(CanaryState.STABLE_MANIFEST),
                pods ? canaryPods.size() : -1, doomed);
    }
}
