package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.Util;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * How {@code k8sDeploy} rolls the app out ({@link StrategySettings}): the strategy and each strategy's parameters, in a
 * class of their own so that {@link K8sDeployStep} reads as the deploy's parameters and its start. Their help is in
 * {@code K8sDeployStep/}, where core looks first.
 */
public abstract class StrategyStep extends ClusterStep implements StrategySettings {
    private String strategy;
    private String app;
    private String plan;
    private String router;
    private String routerName;
    private String routes;
    private String stableService;
    private String canaryService;
    private String stableSubset;
    private String canarySubset;
    private String destinationRule;
    private String activeService;
    private String previewService;
    private String scaleDownDelay;
    private boolean autoSwitch;

    @Override
    public String getStrategy() {
        return strategy;
    }

    @DataBoundSetter
    public void setStrategy(String strategy) {
        this.strategy = Util.fixEmptyAndTrim(strategy);
    }

    @Override
    public String getApp() {
        return app;
    }

    @DataBoundSetter
    public void setApp(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    @Override
    public String getPlan() {
        return plan;
    }

    @DataBoundSetter
    public void setPlan(String plan) {
        this.plan = Util.fixEmptyAndTrim(plan);
    }

    @Override
    public String getRouter() {
        return router;
    }

    @DataBoundSetter
    public void setRouter(String router) {
        this.router = Util.fixEmptyAndTrim(router);
    }

    @Override
    public String getRouterName() {
        return routerName;
    }

    @DataBoundSetter
    public void setRouterName(String routerName) {
        this.routerName = Util.fixEmptyAndTrim(routerName);
    }

    @Override
    public String getRoutes() {
        return routes;
    }

    @DataBoundSetter
    public void setRoutes(String routes) {
        this.routes = Util.fixEmptyAndTrim(routes);
    }

    @Override
    public String getStableService() {
        return stableService;
    }

    @DataBoundSetter
    public void setStableService(String stableService) {
        this.stableService = Util.fixEmptyAndTrim(stableService);
    }

    @Override
    public String getCanaryService() {
        return canaryService;
    }

    @DataBoundSetter
    public void setCanaryService(String canaryService) {
        this.canaryService = Util.fixEmptyAndTrim(canaryService);
    }

    @Override
    public String getStableSubset() {
        return stableSubset;
    }

    @DataBoundSetter
    public void setStableSubset(String stableSubset) {
        this.stableSubset = Util.fixEmptyAndTrim(stableSubset);
    }

    @Override
    public String getCanarySubset() {
        return canarySubset;
    }

    @DataBoundSetter
    public void setCanarySubset(String canarySubset) {
        this.canarySubset = Util.fixEmptyAndTrim(canarySubset);
    }

    @Override
    public String getDestinationRule() {
        return destinationRule;
    }

    @DataBoundSetter
    public void setDestinationRule(String destinationRule) {
        this.destinationRule = Util.fixEmptyAndTrim(destinationRule);
    }

    @Override
    public String getActiveService() {
        return activeService;
    }

    @DataBoundSetter
    public void setActiveService(String activeService) {
        this.activeService = Util.fixEmptyAndTrim(activeService);
    }

    @Override
    public String getPreviewService() {
        return previewService;
    }

    @DataBoundSetter
    public void setPreviewService(String previewService) {
        this.previewService = Util.fixEmptyAndTrim(previewService);
    }

    @Override
    public String getScaleDownDelay() {
        return scaleDownDelay;
    }

    @DataBoundSetter
    public void setScaleDownDelay(String scaleDownDelay) {
        this.scaleDownDelay = Util.fixEmptyAndTrim(scaleDownDelay);
    }

    @Override
    public boolean isAutoSwitch() {
        return autoSwitch;
    }

    @DataBoundSetter
    public void setAutoSwitch(boolean autoSwitch) {
        this.autoSwitch = autoSwitch;
    }
}
