package io.jenkins.plugins.k8sdeploy.jenkins;

/** What a k8sDeploy step or builder was configured with, in plain types. */
interface DeploySettings extends ClusterTarget {
    /** Files, directories or globs, separated by commas or new lines. */
    String getManifests();

    /** Manifests given inline. */
    String getYaml();

    String getNamespace();

    boolean isPinNamespace();

    /** Cluster-scoped kinds a pinned deploy may apply, separated by commas or new lines. */
    String getAllowClusterScoped();

    /** Take over fields another field manager owns instead of refusing the deploy (default false). */
    boolean isForceConflicts();

    /** "container=image" entries, separated by commas or new lines. */
    String getImages();

    /** Substitute ${NAME} from the build's environment (and {@link #getVariables()}). */
    boolean isSubstitute();

    /** "NAME=VALUE" entries, one per line, substituted for ${NAME}; they win over the build's environment. */
    String getVariables();

    /** "10m", "90s"; blank for the default. */
    String getTimeout();

    /** Roll back failed workloads (default true). */
    boolean isRollback();

    boolean isDryRun();
}
