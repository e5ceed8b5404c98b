package io.jenkins.plugins.k8sdeploy.engine.traffic;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;

/**
 * Something in the cluster that splits traffic between the stable and the canary version by weight: an Istio
 * VirtualService, an NGINX canary Ingress, a Gateway API HTTPRoute or an SMI TrafficSplit. One class per router; the
 * canary engine only talks to this interface. Implementations keep no state between calls: everything is read from and
 * written to the router object, so a restarted Jenkins carries on.
 */
public interface TrafficRouter {
    /** For the log: "Istio VirtualService web in shop". */
    String describe();

    /**
     * Checks, before a canary starts, that the router object exists and routes to the stable service; changes
     * nothing. The message of the exception says what was expected and what was found.
     */
    void check(KubeCluster cluster, CanaryServices services) throws DeployException;

    /** Sends {@code weight} percent (0 to 100) of the traffic to the canary and the rest to stable. */
    void setWeight(KubeCluster cluster, CanaryServices services, int weight) throws DeployException;

    /** The canary's weight as the router object says now (0 when the router sends nothing to the canary). */
    int weight(KubeCluster cluster, CanaryServices services) throws DeployException;

    /** All traffic to stable again; removes whatever {@link #setWeight} created. Repeatable. */
    void reset(KubeCluster cluster, CanaryServices services) throws DeployException;
}
