package io.jenkins.plugins.k8sdeploy.engine.rollout;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When a workload has finished rolling out, kind by kind. Pure functions of the observed object: the same object
 * always gives the same answer, and tests are tables.
 */
public final class CompletionRules {
    private CompletionRules() {}

    /**
     * kubectl's rule: the controller has seen the latest spec (observedGeneration), the progress deadline has not
     * passed, every desired replica runs the new template, no old replica is left, and the new ones are available.
     *
     * <p>Example: 3 desired, status {updated 3, replicas 4, available 3} is still progressing: "1 old replicas are
     * pending termination".
     */
    public static RolloutStatus deployment(Deployment d) {
        DeploymentStatus s = d.getStatus();
        if (s == null || !caughtUp(d.getMetadata().getGeneration(), s.getObservedGeneration())) {
            return RolloutStatus.progressing("waiting for the deployment controller to see the new spec");
        }
        DeploymentCondition progressing = deploymentCondition(s, "Progressing");
        if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.getReason())) {
            return RolloutStatus.failed("exceeded its progress deadline ("
                    + orDefault(d.getSpec().getProgressDeadlineSeconds(), 600) + " s): "
                    + Objects.toString(progressing.getMessage(), "no progress"));
        }
        int desired = orDefault(d.getSpec().getReplicas(), 1);
        int updated = orDefault(s.getUpdatedReplicas(), 0);
        int replicas = orDefault(s.getReplicas(), 0);
        int available = orDefault(s.getAvailableReplicas(), 0);
        if (updated < desired) {
            return RolloutStatus.progressing(updated + " of " + desired + " new replicas updated");
        }
        if (replicas > updated) {
            return RolloutStatus.progressing((replicas - updated) + " old replicas are pending termination");
        }
        if (available < updated) {
            return RolloutStatus.progressing(available + " of " + updated + " updated replicas are available");
        }
        return RolloutStatus.done(available + " of " + desired + " replicas updated and available");
    }

    /**
     * kubectl's rule for StatefulSets with the RollingUpdate strategy: observedGeneration caught up, all replicas
     * ready, and (unless a partition holds some back) every pod on the update revision. OnDelete cannot be waited for.
     */
    public static RolloutStatus statefulSet(StatefulSet st) {
        StatefulSetStatus s = st.getStatus();
        if (s == null || !caughtUp(st.getMetadata().getGeneration(), s.getObservedGeneration())) {
            return RolloutStatus.progressing("waiting for the statefulset controller to see the new spec");
        }
        var strategy = st.getSpec().getUpdateStrategy();
        if (strategy != null && "OnDelete".equals(strategy.getType())) {
            return RolloutStatus.done("updateStrategy OnDelete: pods change only when deleted, nothing to wait for");
        }
        int desired = orDefault(st.getSpec().getReplicas(), 1);
        int ready = orDefault(s.getReadyReplicas(), 0);
        if (ready < desired) {
            return RolloutStatus.progressing(ready + " of " + desired + " pods are ready");
        }
        Integer partition = strategy == null || strategy.getRollingUpdate() == null
                ? null : strategy.getRollingUpdate().getPartition();
        if (partition != null && partition > 0) {
            int expected = desired - partition;
            int updated = orDefault(s.getUpdatedReplicas(), 0);
            return updated < expected
                    ? RolloutStatus.progressing(updated + " of " + expected + " pods above partition " + partition
                            + " updated")
                    : RolloutStatus.done(updated + " pods above partition " + partition + " updated");
        }
        if (!Objects.equals(s.getUpdateRevision(), s.getCurrentRevision())) {
            return RolloutStatus.progressing(orDefault(s.getUpdatedReplicas(), 0) + " of " + desired
                    + " pods on the new revision");
        }
        return RolloutStatus.done(desired + " pods ready on revision " + s.getCurrentRevision());
    }

    /** kubectl's rule for DaemonSets: every scheduled pod updated and available. */
    public static RolloutStatus daemonSet(DaemonSet ds) {
        DaemonSetStatus s = ds.getStatus();
        if (s == null || !caughtUp(ds.getMetadata().getGeneration(), s.getObservedGeneration())) {
            return RolloutStatus.progressing("waiting for the daemonset controller to see the new spec");
        }
        int desired = orDefault(s.getDesiredNumberScheduled(), 0);
        int updated = orDefault(s.getUpdatedNumberScheduled(), 0);
        int available = orDefault(s.getNumberAvailable(), 0);
        if (updated < desired) {
            return RolloutStatus.progressing(updated + " of " + desired + " scheduled pods updated");
        }
        if (available < desired) {
            return RolloutStatus.progressing(available + " of " + desired + " updated pods are available");
        }
        return RolloutStatus.done(available + " of " + desired + " pods updated and available");
    }

    /** A Job is done when it completed, failed when its Failed condition says so. */
    public static RolloutStatus job(Job job) {
        var s = job.getStatus();
        if (s != null && s.getConditions() != null) {
            for (JobCondition c : s.getConditions()) {
                if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
                    return RolloutStatus.done("completed (" + orDefault(s.getSucceeded(), 0) + " succeeded)");
                }
                if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
                    return RolloutStatus.failed("failed: " + c.getReason() + ": " + c.getMessage());
                }
            }
        }
        int succeeded = s == null ? 0 : orDefault(s.getSucceeded(), 0);
        int completions = orDefault(job.getSpec().getCompletions(), 1);
        return RolloutStatus.progressing(succeeded + " of " + completions + " completions");
    }

    /**
     * A custom resource that opted in: done when its condition {@code type} has status True, failed when the
     * condition is False with a reason other than a progressing one, and progressing otherwise. When the object
     * reports status.observedGeneration, it must have caught up first.
     */
    public static RolloutStatus customResource(GenericKubernetesResource r, String conditionType) {
        Map<String, Object> status = r.get("status") instanceof Map<?, ?> m ? cast(m) : null;
        if (status == null) {
            return RolloutStatus.progressing("no status yet");
        }
        if (status.get("observedGeneration") instanceof Number observed
                && !caughtUp(r.getMetadata().getGeneration(), observed.longValue())) {
            return RolloutStatus.progressing("waiting for its controller to see the new spec");
        }
        if (status.get("conditions") instanceof List<?> conditions) {
            for (Object o : conditions) {
                if (o instanceof Map<?, ?> c && conditionType.equals(c.get("type"))) {
                    String state = String.valueOf(c.get("status"));
                    String text = c.get("reason") + ": " + c.get("message");
                    if ("True".equals(state)) {
                        return RolloutStatus.done(conditionType + "=True");
                    }
                    return RolloutStatus.progressing(conditionType + "=" + state + " (" + text + ")");
                }
            }
        }
        return RolloutStatus.progressing("no " + conditionType + " condition yet");
    }

    static boolean caughtUp(Long generation, Long observed) {
        return observed != null && (generation == null || observed >= generation);
    }

    private static DeploymentCondition deploymentCondition(DeploymentStatus s, String type) {
        if (s.getConditions() == null) {
            return null;
        }
        return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
