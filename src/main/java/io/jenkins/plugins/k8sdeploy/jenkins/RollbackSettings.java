package io.jenkins.plugins.k8sdeploy.jenkins;

/** What a k8sRollback step or builder was configured with, in plain types. */
interface RollbackSettings extends ClusterTarget {
    /** "deployment/web", "statefulset/db", "daemonset/agent". */
    String getTarget();

    String getNamespace();

    /** 0 for the revision before the current one. */
    long getToRevision();

    String getTimeout();
}
