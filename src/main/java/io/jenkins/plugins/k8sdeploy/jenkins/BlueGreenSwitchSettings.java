package io.jenkins.plugins.k8sdeploy.jenkins;

/** What a blueGreenSwitch step or builder was configured with, in plain types. */
interface BlueGreenSwitchSettings extends ClusterTarget, AnalysisSettings {
    /** The app: its colours are Deployments {@code <app>-blue} and {@code <app>-green}. */
    String getApp();

    /** Blank for the kubeconfig context's namespace, else "default". */
    String getNamespace();

    /** Blank for the Service named like the app. */
    String getActiveService();

    /** Blank for {@code <app>-preview}. */
    String getPreviewService();

    /** Switch back to the colour that served before, instead of over to the preview. */
    boolean isRollback();

    /** How long the colour left keeps its pods, such as "30s"; blank for 30 s. */
    String getScaleDownDelay();

    /** Wait for the colour left to be scaled down before the step ends. */
    boolean isWaitForScaleDown();

    /** "10m", "90s"; blank for the default. */
    String getTimeout();

    /**
     * The analysis to run once the switch is verified (defined in {@link #getAnalysis()}, {@link #getAnalysisYaml()} or
     * the global configuration); failed or unable to measure switches back. Blank for none.
     */
    String getAnalysisName();
}
