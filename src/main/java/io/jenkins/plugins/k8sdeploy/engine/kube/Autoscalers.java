package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.List;

/**
 * The HorizontalPodAutoscalers that size workloads: a workload one targets has its replica count decided by it, so
 * neither a rolling deploy nor a canary sets it from the manifest.
 */
public final class Autoscalers {
    private Autoscalers() {}

    /**
     * An autoscaler and the replica count it wants now.
     *
     * @param name the HorizontalPodAutoscaler's name
     * @param replicas its desired replicas, else its current ones, else its minimum (1 when it names none)
     */
    public record Autoscaler(String name, int replicas) {
        /** "HorizontalPodAutoscaler/web". */
        public String describe() {
            return "HorizontalPodAutoscaler/" + name;
        }
    }

    /**
     * The autoscaling/v2 HorizontalPodAutoscaler in {@code namespace} whose scaleTargetRef names {@code kind}/{@code
     * name}, or {@code null} when none does. Credentials that may not list autoscalers see none.
     */
    public static Autoscaler targeting(KubeCluster cluster, String namespace, String kind, String name)
            throws DeployException {
        List<HorizontalPodAutoscaler> hpas;
        try {
            hpas = cluster.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).list()
                    .getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return null;
            }
            throw new DeployException("Could not list HorizontalPodAutoscalers in " + namespace + ": "
                    + e.getMessage());
        }
        for (HorizontalPodAutoscaler h : hpas) {
            var ref = h.getSpec() == null ? null : h.getSpec().getScaleTargetRef();
            if (ref != null && kind.equals(ref.getKind()) && name.equals(ref.getName())) {
                return new Autoscaler(h.getMetadata().getName(), wanted(h));
            }
        }
        return null;
    }

    private static int wanted(HorizontalPodAutoscaler h) {
        Integer desired = h.getStatus() == null ? null : h.getStatus().getDesiredReplicas();
        if (desired != null && desired > 0) {
            return desired;
        }
        Integer current = h.getStatus() == null ? null : h.getStatus().getCurrentReplicas();
        if (current != null && current > 0) {
            return current;
        }
        return h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas();
    }
}
