package io.jenkins.plugins.k8sdeploy.jenkins;

/**
 * Where a canary's {@code analysis NAME} steps find their analyses, besides the global configuration: a YAML file in
 * the workspace and YAML given inline. Plain types; blank means none.
 */
interface AnalysisSettings {
    /** A YAML file of providers and analyses, relative to the workspace, such as "k8s/analysis.yaml". */
    String getAnalysis();

    /** Providers and analyses given inline, in the same YAML. */
    String getAnalysisYaml();
}
