package io.jenkins.plugins.k8sdeploy.jenkins;

/**
 * How k8sDeploy rolls the app out, in plain types: rolling (the default), canary or blue-green, with each strategy's
 * settings. Blank values mean the engine's defaults.
 */
interface StrategySettings {
    /** "rolling", "canary" or "blueGreen"; blank for rolling. */
    String getStrategy();

    /** The Deployment a canary or blue-green rollout is about; blank when the manifests have one. */
    String getApp();

    /** Canary: the plan, such as "20%, pause 2m, 50%, approval, 100%". */
    String getPlan();

    /** Canary: istio, nginx, gatewayApi or smi; blank to split by replica counts. */
    String getRouter();

    /** Canary with a router: the VirtualService, stable Ingress, HTTPRoute or TrafficSplit. */
    String getRouterName();

    /** Canary with Istio: HTTP route names to change, separated by commas; blank for every route to stable. */
    String getRoutes();

    /** Canary: the Service in front of the app. */
    String getStableService();

    /** Canary with a router: the Service in front of the canary. */
    String getCanaryService();

    /** Canary with Istio subsets. */
    String getStableSubset();

    String getCanarySubset();

    String getDestinationRule();

    /** Blue-green: the Service users reach. */
    String getActiveService();

    /** Blue-green: the Service that shows the new colour before the switch. */
    String getPreviewService();

    /** Blue-green: switch as soon as the new colour is available. */
    boolean isAutoSwitch();

    /** Blue-green: how long the old colour is kept after a switch, such as "30s". */
    String getScaleDownDelay();
}
