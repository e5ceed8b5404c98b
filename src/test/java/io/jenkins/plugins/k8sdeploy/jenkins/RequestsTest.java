package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenSwitchRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenTarget;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine.Action;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryPlan;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the steps' parameters become engine requests, and which parameters are refused: runs without Jenkins. */
class RequestsTest {

    /** The step's parameters as a Pipeline would set them. */
    static final class Settings implements DeploySettings {
        String manifests = "k8s/*.yaml";
        String yaml;
        String namespace;
        boolean pin;
        String allowClusterScoped;
        boolean force;
        String images;
        boolean substitute;
        String variables;
        String timeout;
        boolean rollback = true;
        boolean dryRun;

        @Override public String getManifests() { return manifests; }
        @Override public String getYaml() { return yaml; }
        @Override public String getNamespace() { return namespace; }
        @Override public boolean isPinNamespace() { return pin; }
        @Override public String getAllowClusterScoped() { return allowClusterScoped; }
        @Override public boolean isForceConflicts() { return force; }
        @Override public String getImages() { return images; }
        @Override public boolean isSubstitute() { return substitute; }
        @Override public String getVariables() { return variables; }
        @Override public String getTimeout() { return timeout; }
        @Override public boolean isRollback() { return rollback; }
        @Override public boolean isDryRun() { return dryRun; }
        @Override public String getCredentialsId() { return "id"; }
        @Override public String getServerUrl() { return null; }
        @Override public String getCaCertificate() { return null; }
        @Override public String getContext() { return null; }
    }

    static final Map<String, String> ENV = Map.of("TAG", "1.4.2", "BUILD_NUMBER", "7");

    @Test
    void defaultsAreTheEngineDefaults() throws DeployException {
        DeployRequest r = Requests.deploy(new Settings(), ENV);

        assertEquals(List.of("k8s/*.yaml"), r.manifests());
        assertNull(r.variables(), "no substitution unless asked");
        assertEquals(Map.of(), r.images());
        assertEquals(Duration.ofMinutes(10), r.timeout());
        assertTrue(r.rollbackOnFailure());
        assertEquals(false, r.dryRun());
        assertEquals(false, r.forceConflicts(), "another manager's fields are refused unless asked");
    }

    @Test
    void everyParameterReachesTheRequest() throws DeployException {
        Settings s = new Settings();
        s.manifests = "k8s/app.yaml,\n k8s/db.yaml ,";
        s.yaml = "apiVersion: v1";
        s.namespace = "shop";
        s.pin = true;
        s.allowClusterScoped = "CustomResourceDefinition,\n ClusterRole";
        s.images = "web=registry.example/web:1.4.2\napi=registry.example/api:2";
        s.substitute = true;
        s.timeout = "90s";
        s.rollback = false;
        s.dryRun = true;
        s.force = true;

        DeployRequest r = Requests.deploy(s, ENV);

        assertEquals(List.of("k8s/app.yaml", "k8s/db.yaml"), r.manifests());
        assertEquals("apiVersion: v1", r.inlineYaml());
        assertEquals("shop", r.namespace());
        assertTrue(r.pinNamespace());
        assertEquals(List.of("CustomResourceDefinition", "ClusterRole"), r.allowClusterScoped());
        assertEquals(Map.of("web", "registry.example/web:1.4.2", "api", "registry.example/api:2"), r.images());
        assertEquals(ENV, r.variables(), "substitution takes the build's environment");
        assertEquals(Duration.ofSeconds(90), r.timeout());
        assertEquals(false, r.rollbackOnFailure());
        assertTrue(r.dryRun());
        assertTrue(r.forceConflicts());
    }

    @Test
    void variablesAloneSubstituteOnlyThemselvesAndWinOverTheEnvironment() throws DeployException {
        Settings own = new Settings();
        own.variables = "TAG=2.0\n\nREGION = eu ";
        Settings both = new Settings();
        both.variables = "TAG=2.0";
        both.substitute = true;

        assertEquals(Map.of("TAG", "2.0", "REGION", "eu"), Requests.deploy(own, ENV).variables());
        assertEquals(Map.of("TAG", "2.0", "BUILD_NUMBER", "7"), Requests.deploy(both, ENV).variables());
    }

    @Test
    void badParametersAreClearErrors() {
        Settings none = new Settings();
        none.manifests = " , ";
        Settings pinned = new Settings();
        pinned.pin = true;
        Settings slow = new Settings();
        slow.timeout = "ten minutes";
        Settings image = new Settings();
        image.images = "registry.example/web:1";

        assertEquals("k8sDeploy needs manifests (files, directories or globs such as 'k8s/*.yaml') or yaml (manifests"
                + " given inline). Neither was given.",
                assertThrows(DeployException.class, () -> Requests.deploy(none, ENV)).getMessage());
        assertEquals("pinNamespace needs namespace (or a named cluster with a namespace): the namespace every"
                + " manifest must deploy to.",
                assertThrows(DeployException.class, () -> Requests.deploy(pinned, ENV)).getMessage());
        assertEquals("'ten minutes' is not a duration. Expected a number with s, m or h, such as 90s, 10m or 1h.",
                assertThrows(DeployException.class, () -> Requests.deploy(slow, ENV)).getMessage());
        assertEquals("The image override 'registry.example/web:1' is not container=image. Expected something like"
                + " 'web=registry.example/web:1.4.2'.",
                assertThrows(DeployException.class, () -> Requests.deploy(image, ENV)).getMessage());
    }

    /** k8sDeploy's strategy parameters as a Pipeline would set them. */
    static final class Strategy implements StrategySettings {
        String strategy;
        String app;
        String plan;
        String router;
        String routerName;
        String routes;
        String stableService;
        String canaryService;
        String stableSubset;
        String canarySubset;
        String destinationRule;
        String activeService;
        String previewService;
        boolean autoSwitch;
        String scaleDownDelay;

        Strategy(String strategy) {
            this.strategy = strategy;
        }

        @Override public String getStrategy() { return strategy; }
        @Override public String getApp() { return app; }
        @Override public String getPlan() { return plan; }
        @Override public String getRouter() { return router; }
        @Override public String getRouterName() { return routerName; }
        @Override public String getRoutes() { return routes; }
        @Override public String getStableService() { return stableService; }
        @Override public String getCanaryService() { return canaryService; }
        @Override public String getStableSubset() { return stableSubset; }
        @Override public String getCanarySubset() { return canarySubset; }
        @Override public String getDestinationRule() { return destinationRule; }
        @Override public String getActiveService() { return activeService; }
        @Override public String getPreviewService() { return previewService; }
        @Override public boolean isAutoSwitch() { return autoSwitch; }
        @Override public String getScaleDownDelay() { return scaleDownDelay; }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "null, rolling",
        "'', rolling",
        "rolling, rolling",
        "canary, canary",
        "Canary, canary",
        "blueGreen, blueGreen",
        "blue-green, blueGreen",
        "blue_green, blueGreen",
        "BLUEGREEN, blueGreen",
    })
    void strategyNamesAsUsersWriteThem(String given, String expected) throws DeployException {
        assertEquals(expected, Requests.strategy(new Strategy(given)).label());
    }

    @Test
    void anUnknownStrategyIsAClearError() {
        assertEquals("'linear' is not a strategy. Expected rolling (the default), canary or blueGreen.",
                assertThrows(DeployException.class, () -> Requests.strategy(new Strategy("linear"))).getMessage());
    }

    @Test
    void settingsOfAnotherStrategyAreRefusedRatherThanIgnored() {
        Strategy blueGreenWithPlan = new Strategy("blueGreen");
        blueGreenWithPlan.plan = "20%, 100%";
        Strategy rollingWithStrategySettings = new Strategy(null);
        rollingWithStrategySettings.app = "web";
        rollingWithStrategySettings.autoSwitch = true;
        Strategy canaryWithServices = new Strategy("canary");
        canaryWithServices.stableService = "web";
        canaryWithServices.previewService = "web-preview";

        assertEquals("Not used by strategy blueGreen: plan (canary). Remove them, or set strategy to the one they"
                + " belong to.", assertThrows(DeployException.class,
                        () -> Requests.strategy(blueGreenWithPlan)).getMessage());
        assertEquals("Not used by strategy rolling: autoSwitch (blueGreen), app (canary, blueGreen). Remove them, or"
                + " set strategy to the one they belong to.", assertThrows(DeployException.class,
                        () -> Requests.strategy(rollingWithStrategySettings)).getMessage());
        assertEquals("Not used by strategy canary: previewService (blueGreen). Remove them, or set strategy to the"
                + " one they belong to.", assertThrows(DeployException.class,
                        () -> Requests.strategy(canaryWithServices)).getMessage());
    }

    @Test
    void aCanaryRequestCarriesThePlanTheRouterAndTheDriver() throws DeployException {
        Settings deploy = new Settings();
        deploy.images = "web=registry.example/web:2";
        Strategy s = new Strategy("canary");
        s.app = "web";
        s.plan = "20%, approval, 100%";
        s.router = "istio";
        s.routerName = "web-vs";
        s.routes = "primary, secondary";
        s.stableService = "web";

        CanaryRequest r = Requests.canary(deploy, s, ENV, "jenkins: shop/deploy#7");

        assertEquals(Map.of("web", "registry.example/web:2"), r.deploy().images());
        assertEquals("web", r.app());
        assertEquals(CanaryPlan.parse("20%, approval, 100%"), r.plan());
        assertEquals(new RouterSpec(RouterSpec.Type.ISTIO, "web-vs", List.of("primary", "secondary"), null, null,
                null), r.router());
        assertEquals("web", r.stableService());
        assertNull(r.canaryService());
        assertEquals("jenkins: shop/deploy#7", r.driver());
    }

    @Test
    void aBadPlanOrRouterIsTheEnginesMessage() {
        Strategy plan = new Strategy("canary");
        plan.plan = "20%, maybe";
        Strategy router = new Strategy("canary");
        router.router = "linkerd";
        Strategy unnamed = new Strategy("canary");
        unnamed.router = "istio";

        assertTrue(assertThrows(DeployException.class, () -> Requests.canary(new Settings(), plan, ENV, "d"))
                .getMessage().startsWith("Canary plan '20%, maybe': 'maybe' is not a step."));
        assertEquals("'linkerd' is not a traffic router. Expected istio, nginx, gatewayApi or smi (or none, to split"
                + " by replica counts).", assertThrows(DeployException.class,
                        () -> Requests.canary(new Settings(), router, ENV, "d")).getMessage());
        assertEquals("The istio router needs the name of its object (routerName): the VirtualService, the stable"
                + " Ingress, the HTTPRoute or the TrafficSplit.", assertThrows(DeployException.class,
                        () -> Requests.canary(new Settings(), unnamed, ENV, "d")).getMessage());
    }

    @Test
    void aDryRunCannotUseAStrategy() {
        Settings dry = new Settings();
        dry.dryRun = true;

        assertEquals("dryRun shows what a deploy would change; use it without strategy.", assertThrows(
                DeployException.class, () -> Requests.blueGreen(dry, new Strategy("blueGreen"), ENV)).getMessage());
        assertEquals("dryRun shows what a deploy would change; use it without strategy.", assertThrows(
                DeployException.class, () -> Requests.canary(dry, new Strategy("canary"), ENV, "d")).getMessage());
    }

    @Test
    void aBlueGreenDeployMapsEveryParameterAndLeavesTheScaleDownToTheNextDeploy() throws DeployException {
        Settings deploy = new Settings();
        deploy.namespace = "shop";
        deploy.images = "web=registry.example/web:2";
        deploy.timeout = "5m";
        Strategy s = new Strategy("blueGreen");
        s.app = "web";
        s.activeService = "web-live";
        s.previewService = "web-next";
        s.autoSwitch = true;
        s.scaleDownDelay = "90s";

        BlueGreenRequest r = Requests.blueGreen(deploy, s, ENV);

        assertEquals(List.of("k8s/*.yaml"), r.deploy().manifests());
        assertEquals("shop", r.deploy().namespace());
        assertEquals(Map.of("web", "registry.example/web:2"), r.deploy().images());
        assertEquals(Duration.ofMinutes(5), r.deploy().timeout());
        assertEquals("web", r.app());
        assertEquals("web-live", r.activeService());
        assertEquals("web-next", r.previewService());
        assertTrue(r.autoSwitch());
        assertEquals(Duration.ofSeconds(90), r.scaleDownDelay());
        assertEquals(false, r.waitForScaleDown(), "the deploy step does not wait for the old colour's scale-down");
    }

    @Test
    void aBlueGreenDeployDefaultsToTheEnginesServicesAndDelay() throws DeployException {
        BlueGreenRequest r = Requests.blueGreen(new Settings(), new Strategy("blueGreen"), ENV);

        assertNull(r.app());
        assertNull(r.activeService());
        assertNull(r.previewService());
        assertEquals(false, r.autoSwitch());
        assertEquals(Duration.ofSeconds(30), r.scaleDownDelay());
    }

    @Test
    void aGatedBlueGreenDeployStopsAtThePreviewAndTheGateLetsTheSwitchThrough() throws DeployException {
        Settings deploy = new Settings();
        deploy.timeout = "5m";
        Strategy s = new Strategy("blueGreen");
        s.app = "web";
        s.autoSwitch = true;
        s.scaleDownDelay = "90s";
        BlueGreenRequest r = Requests.blueGreen(deploy, s, ENV);

        BlueGreenRequest preview = Requests.previewOnly(r);
        assertEquals(false, preview.autoSwitch(), "the switch waits for the gate");
        assertNull(preview.analysis());
        assertEquals(r.deploy(), preview.deploy());
        assertEquals("web", preview.app());

        BlueGreenTarget target = new BlueGreenTarget("shop", "web", "web", "web-preview");
        BlueGreenSwitchRequest after = Requests.switchAfterGate(r, target);
        assertEquals(target, after.target());
        assertEquals(Duration.ofSeconds(90), after.scaleDownDelay());
        assertEquals(Duration.ofMinutes(5), after.timeout());
        assertEquals(r.waitForScaleDown(), after.waitForScaleDown());
        assertNull(after.analysis());
    }

    @Test
    void theRequestsAGateKeepSurviveSerialization() throws Exception {
        Settings s = new Settings();
        s.images = "web=registry.example/web:${TAG}";
        s.substitute = true;
        s.variables = "TAG=${TAG}";
        DeployRequest r = Requests.deploy(s, ENV);
        BlueGreenSwitchRequest sw = new BlueGreenSwitchRequest(new BlueGreenTarget("shop", "web", "web",
                "web-preview"), null, null, true, "smoke");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout.Deploy.of(r));
            out.writeObject(new io.jenkins.plugins.k8sdeploy.engine.bluegreen.GatedSwitch(sw));
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(new io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout.Deploy(r.withVariables(null),
                    true), in.readObject(), "kept without the variables, which come from the environment");
            assertEquals(new io.jenkins.plugins.k8sdeploy.engine.bluegreen.GatedSwitch(sw), in.readObject());
        }
    }

    /** canaryPromote's parameters as a Pipeline would set them. */
    static final class Promote implements CanaryPromoteSettings {
        String app = "web";
        String namespace;
        String weight;
        boolean full;
        boolean abort;
        String timeout;

        @Override public String getApp() { return app; }
        @Override public String getNamespace() { return namespace; }
        @Override public String getWeight() { return weight; }
        @Override public boolean isFull() { return full; }
        @Override public boolean isAbort() { return abort; }
        @Override public String getTimeout() { return timeout; }
        @Override public String getCredentialsId() { return "id"; }
        @Override public String getServerUrl() { return null; }
        @Override public String getCaCertificate() { return null; }
        @Override public String getContext() { return null; }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "null, false, false, PROMOTE, 0",
        "'', false, false, PROMOTE, 0",
        "80, false, false, WEIGHT, 80",
        "80%, false, false, WEIGHT, 80",
        "0, false, false, WEIGHT, 0",
        "null, true, false, FULL, 0",
        "null, false, true, ABORT, 0",
    })
    void canaryPromoteDoesWhatItsOneOptionSays(String weight, boolean full, boolean abort, Action action,
            int expectedWeight) throws DeployException {
        Promote p = new Promote();
        p.weight = weight;
        p.full = full;
        p.abort = abort;

        CanaryPromoteRequest r = Requests.canaryPromote(p);

        assertEquals(action, r.action());
        assertEquals(expectedWeight, r.weight());
        assertEquals("web", r.app());
        assertEquals(Duration.ofMinutes(10), r.timeout());
    }

    @Test
    void canaryPromoteRefusesAmbiguousOrBadParameters() {
        Promote both = new Promote();
        both.weight = "50";
        both.abort = true;
        Promote notANumber = new Promote();
        notANumber.weight = "half";
        Promote tooMuch = new Promote();
        tooMuch.weight = "120";
        Promote noApp = new Promote();
        noApp.app = " ";

        assertEquals("canaryPromote does one thing at a time, but was given weight and abort. Expected at most one"
                + " of weight, full and abort (none: promote past the current pause or approval).",
                assertThrows(DeployException.class, () -> Requests.canaryPromote(both)).getMessage());
        assertEquals("weight 'half' is not a whole number from 0 to 100 (the canary's share of traffic, in"
                + " percent).", assertThrows(DeployException.class, () -> Requests.canaryPromote(notANumber))
                        .getMessage());
        assertEquals("weight '120' is not a whole number from 0 to 100 (the canary's share of traffic, in"
                + " percent).", assertThrows(DeployException.class, () -> Requests.canaryPromote(tooMuch))
                        .getMessage());
        assertEquals("canaryPromote needs app: the stable Deployment whose canary to promote or abort.",
                assertThrows(DeployException.class, () -> Requests.canaryPromote(noApp)).getMessage());
    }

    @Test
    void anAbortThatWasAskedForSucceedsWithTheCanaryAborted() throws DeployException {
        Promote abort = new Promote();
        abort.abort = true;
        CanaryPromoteRequest asked = Requests.canaryPromote(abort);
        CanaryPromoteRequest promote = Requests.canaryPromote(new Promote());

        assertTrue(asked.succeeded(record(DeployRecord.Outcome.ABORTED)));
        assertTrue(asked.succeeded(record(DeployRecord.Outcome.SUCCEEDED)), "a pipeline's canary: the driver took it");
        assertEquals(false, asked.succeeded(record(DeployRecord.Outcome.FAILED)));
        assertEquals(false, asked.succeeded(null));
        assertTrue(promote.succeeded(record(DeployRecord.Outcome.SUCCEEDED)));
        assertEquals(false, promote.succeeded(record(DeployRecord.Outcome.ABORTED)), "aborted by someone else meanwhile");
    }

    static DeployRecord record(DeployRecord.Outcome outcome) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new DeployRecord("https://k8s.example.com:6443", outcome, now, now, 0, 0, List.of(), List.of(),
                List.of(), List.of(), null);
    }

    /** blueGreenSwitch's parameters as a Pipeline would set them. */
    static final class Switch implements BlueGreenSwitchSettings {
        String app = "web";
        String namespace;
        String activeService;
        String previewService;
        boolean rollback;
        String scaleDownDelay;
        boolean waitForScaleDown = true;
        String timeout;
        String analysis;
        String analysisYaml;
        String analysisName;

        @Override public String getAnalysis() { return analysis; }
        @Override public String getAnalysisYaml() { return analysisYaml; }
        @Override public String getAnalysisName() { return analysisName; }
        @Override public String getApp() { return app; }
        @Override public String getNamespace() { return namespace; }
        @Override public String getActiveService() { return activeService; }
        @Override public String getPreviewService() { return previewService; }
        @Override public boolean isRollback() { return rollback; }
        @Override public String getScaleDownDelay() { return scaleDownDelay; }
        @Override public boolean isWaitForScaleDown() { return waitForScaleDown; }
        @Override public String getTimeout() { return timeout; }
        @Override public String getCredentialsId() { return "id"; }
        @Override public String getServerUrl() { return null; }
        @Override public String getCaCertificate() { return null; }
        @Override public String getContext() { return null; }
    }

    @Test
    void aBlueGreenSwitchDefaultsToTheAppsServicesThirtySecondsAndWaiting() throws DeployException {
        BlueGreenSwitchRequest r = Requests.blueGreenSwitch(new Switch());

        assertEquals(new BlueGreenTarget(null, "web", "web", "web-preview"), r.target());
        assertEquals(Duration.ofSeconds(30), r.scaleDownDelay());
        assertEquals(Duration.ofMinutes(10), r.timeout());
        assertTrue(r.waitForScaleDown());
    }

    @Test
    void aBlueGreenSwitchMapsEveryParameter() throws DeployException {
        Switch s = new Switch();
        s.namespace = "shop";
        s.activeService = "web-live";
        s.previewService = "web-next";
        s.scaleDownDelay = "5m";
        s.waitForScaleDown = false;
        s.timeout = "2m";

        BlueGreenSwitchRequest r = Requests.blueGreenSwitch(s);

        assertEquals(new BlueGreenTarget("shop", "web", "web-live", "web-next"), r.target());
        assertEquals(Duration.ofMinutes(5), r.scaleDownDelay());
        assertEquals(Duration.ofMinutes(2), r.timeout());
        assertEquals(false, r.waitForScaleDown());
    }

    @Test
    void aBlueGreenSwitchRunsTheNamedAnalysisAfterSwitchingOverOnly() throws DeployException {
        Switch s = new Switch();
        s.analysisName = " errors ";
        s.analysis = "k8s/analysis.yaml";
        assertEquals("errors", Requests.blueGreenSwitch(s).analysis());

        Switch back = new Switch();
        back.analysisName = "errors";
        back.rollback = true;
        assertEquals("blueGreenSwitch runs analysisName after switching over to the preview, not when switching back"
                + " (rollback).", assertThrows(DeployException.class, () -> Requests.blueGreenSwitch(back))
                        .getMessage());

        Switch unnamed = new Switch();
        unnamed.analysisYaml = "analyses: {}";
        assertEquals("blueGreenSwitch was given analyses (analysis or analysisYaml) but not analysisName: the one to run"
                + " after the switch.", assertThrows(DeployException.class, () -> Requests.blueGreenSwitch(unnamed))
                        .getMessage());
        assertEquals(null, Requests.blueGreenSwitch(new Switch()).analysis());
    }

    @Test
    void aBlueGreenSwitchNeedsItsAppAndADuration() {
        Switch noApp = new Switch();
        noApp.app = null;
        Switch slow = new Switch();
        slow.scaleDownDelay = "a while";

        assertEquals("blueGreenSwitch needs app: the app whose colours are Deployments <app>-blue and <app>-green.",
                assertThrows(DeployException.class, () -> Requests.blueGreenSwitch(noApp)).getMessage());
        assertEquals("'a while' is not a duration. Expected a number with s, m or h, such as 90s, 10m or 1h.",
                assertThrows(DeployException.class, () -> Requests.blueGreenSwitch(slow)).getMessage());
    }

    @Test
    void theNamespaceIsTheOneGivenElseTheKubeconfigsElseDefault() throws DeployException {
        ClusterConnection none = ClusterConnection.ofToken("https://k8s.example.com:6443", null, "token");

        assertEquals("shop", Requests.namespace(" shop ", none));
        assertEquals("default", Requests.namespace(null, none));
        assertEquals("default", Requests.namespace("", none));
    }
}
