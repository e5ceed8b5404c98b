package io.jenkins.plugins.k8sdeploy.jenkins;

/** What a canaryPromote step or builder was configured with, in plain types. */
interface CanaryPromoteSettings extends ClusterTarget {
    /** The stable Deployment whose canary is steered. */
    String getApp();

    /** Blank for the kubeconfig context's namespace, else "default". */
    String getNamespace();

    /** A weight from 0 to 100 to move the canary to; blank to promote. */
    String getWeight();

    /** Promote fully, skipping the rest of the plan. */
    boolean isFull();

    /** Send all traffic back to stable and remove the canary. */
    boolean isAbort();

    /** "10m", "90s"; blank for the default. */
    String getTimeout();
}
