package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenSwitchRequest;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenTarget;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryPlan;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ImageOverrides;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Namespaces;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step and builder parameters to an engine request. Plain types only, so it is tested without Jenkins.
 */
final class Requests {
    private Requests() {}

    /**
     * @param environment the build's environment, the only source of ${NAME} values when substitution is on
     */
    static DeployRequest deploy(DeploySettings s, Map<String, String> environment) throws DeployException {
        List<String> manifests = split(s.getManifests());
        if (manifests.isEmpty() && (s.getYaml() == null || s.getYaml().isBlank())) {
            throw new DeployException("k8sDeploy needs manifests (files, directories or globs such as 'k8s/*.yaml')"
                    + " or yaml (manifests given inline). Neither was given.");
        }
        // The step's namespace, else its named cluster's: what a manifest naming none deploys to, and what
        // pinNamespace pins to.
        String namespace = blank(s.getNamespace()) != null ? s.getNamespace().strip()
                : blank(s.getCluster()) != null ? NamedClusters.namespace(s.getCluster().strip(),
                        ProgressiveDeliveryConfiguration.get().definitions()) : null;
        if (s.isPinNamespace() && namespace == null) {
            throw new DeployException("pinNamespace needs namespace (or a named cluster with a namespace): the"
                    + " namespace every manifest must deploy to.");
        }
        return DeployRequest.builder()
                .manifests(manifests)
                .inlineYaml(s.getYaml())
                .namespace(namespace)
                .pinNamespace(s.isPinNamespace())
                .allowClusterScoped(split(s.getAllowClusterScoped()))
                .forceConflicts(s.isForceConflicts())
                .variables(variables(s, environment))
                .images(ImageOverrides.parse(split(s.getImages())))
                .timeout(s.getTimeout() == null || s.getTimeout().isBlank()
                        ? DeployRequest.DEFAULT_TIMEOUT : Durations.parse(s.getTimeout()))
                .rollbackOnFailure(s.isRollback())
                .dryRun(s.isDryRun())
                .build();
    }

    /**
     * The strategy as the engine names it; a clear error for anything else, and for settings of another strategy
     * (a plan given with blueGreen would otherwise be silently ignored).
     */
    static Strategy strategy(StrategySettings s) throws DeployException {
        return strategy(s, null);
    }

    /** {@link #strategy(StrategySettings)}, with the canary's analysis sources refused for other strategies too. */
    static Strategy strategy(StrategySettings s, AnalysisSettings a) throws DeployException {
        String v = s.getStrategy() == null ? "" : s.getStrategy().strip();
        Strategy strategy = switch (v.toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "")) {
            case "", "rolling" -> Strategy.ROLLING;
            case "canary" -> Strategy.CANARY;
            case "bluegreen" -> Strategy.BLUE_GREEN;
            default -> throw new DeployException("'" + v + "' is not a strategy. Expected rolling (the default),"
                    + " canary or blueGreen.");
        };
        List<String> unused = new ArrayList<>();
        if (strategy != Strategy.CANARY) {
            given(unused, Strategy.CANARY, "plan", s.getPlan(), "router", s.getRouter(), "routerName",
                    s.getRouterName(), "routes", s.getRoutes(), "stableService", s.getStableService(), "canaryService",
                    s.getCanaryService(), "stableSubset", s.getStableSubset(), "canarySubset", s.getCanarySubset(),
                    "destinationRule", s.getDestinationRule());
            if (a != null) {
                given(unused, Strategy.CANARY, "analysis", a.getAnalysis(), "analysisYaml", a.getAnalysisYaml());
            }
        }
        if (strategy != Strategy.BLUE_GREEN) {
            given(unused, Strategy.BLUE_GREEN, "activeService", s.getActiveService(), "previewService",
                    s.getPreviewService(), "scaleDownDelay", s.getScaleDownDelay(), "autoSwitch",
                    s.isAutoSwitch() ? "true" : null);
        }
        if (strategy == Strategy.ROLLING) {
            given(unused, Strategy.CANARY.label() + ", " + Strategy.BLUE_GREEN.label(), "app", s.getApp());
        }
        if (!unused.isEmpty()) {
            throw new DeployException("Not used by strategy " + strategy.label() + ": " + String.join(", ", unused)
                    + ". Remove them, or set strategy to the one they belong to.");
        }
        return strategy;
    }

    /** Adds "name (strategy)" for each of the name/value pairs that has a value. */
    private static void given(List<String> unused, Strategy strategy, String... namesAndValues) {
        given(unused, strategy.label(), namesAndValues);
    }

    private static void given(List<String> unused, String strategy, String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (blank(namesAndValues[i + 1]) != null) {
                unused.add(namesAndValues[i] + " (" + strategy + ")");
            }
        }
    }

    /** A canary rollout of the deploy {@code s} describes, driven by {@code driver}. */
    static CanaryRequest canary(DeploySettings d, StrategySettings s, Map<String, String> environment, String driver)
            throws DeployException {
        DeployRequest deploy = strategyDeploy(d, environment);
        return new CanaryRequest(deploy, blank(s.getApp()), CanaryPlan.parse(s.getPlan()),
                RouterSpec.parse(blank(s.getRouter()), blank(s.getRouterName()), split(s.getRoutes()),
                        blank(s.getStableSubset()), blank(s.getCanarySubset()), blank(s.getDestinationRule())),
                blank(s.getStableService()), blank(s.getCanaryService()), driver);
    }

    /**
     * A blue-green deploy of what {@code d} describes. It ends once the new colour serves (or, without autoSwitch, is
     * ready as preview); the old colour's scale-down after the delay is left to the next deploy or switch of the app.
     */
    /**
     * A blue-green deploy behind an approval gate, first half: the same deploy, but ending at "preview ready" (no
     * automatic switch, no analysis: those follow the gate).
     */
    static BlueGreenRequest previewOnly(BlueGreenRequest r) {
        return new BlueGreenRequest(r.deploy(), r.app(), r.activeService(), r.previewService(), false,
                r.scaleDownDelay(), r.waitForScaleDown(), null);
    }

    /**
     * Second half: the switch over the gate lets through, for the app as the deploy resolved it ({@code target},
     * namespace filled in), with the deploy's scale-down delay, timeout and waiting.
     */
    static BlueGreenSwitchRequest switchAfterGate(BlueGreenRequest r, BlueGreenTarget target) {
        return new BlueGreenSwitchRequest(target, r.scaleDownDelay(), r.deploy().timeout(), r.waitForScaleDown());
    }

    static BlueGreenRequest blueGreen(DeploySettings d, StrategySettings s, Map<String, String> environment)
            throws DeployException {
        return new BlueGreenRequest(strategyDeploy(d, environment), blank(s.getApp()), blank(s.getActiveService()),
                blank(s.getPreviewService()), s.isAutoSwitch(),
                duration(s.getScaleDownDelay(), BlueGreenRequest.DEFAULT_SCALE_DOWN_DELAY), false);
    }

    private static DeployRequest strategyDeploy(DeploySettings d, Map<String, String> environment)
            throws DeployException {
        DeployRequest deploy = deploy(d, environment);
        if (deploy.dryRun()) {
            throw new DeployException("dryRun shows what a deploy would change; use it without strategy.");
        }
        return deploy;
    }

    /** What canaryPromote was asked to do: exactly one of weight, full and abort, or none of them (promote). */
    static CanaryPromoteRequest canaryPromote(CanaryPromoteSettings s) throws DeployException {
        String app = required(s.getApp(), "canaryPromote needs app: the stable Deployment whose canary to promote"
                + " or abort.");
        String weight = blank(s.getWeight());
        List<String> asked = new ArrayList<>();
        if (weight != null) {
            asked.add("weight");
        }
        if (s.isFull()) {
            asked.add("full");
        }
        if (s.isAbort()) {
            asked.add("abort");
        }
        if (asked.size() > 1) {
            throw new DeployException("canaryPromote does one thing at a time, but was given "
                    + String.join(" and ", asked)
                    + ". Expected at most one of weight, full and abort (none: promote past the current pause or"
                    + " approval).");
        }
        CanaryEngine.Action action = s.isAbort() ? CanaryEngine.Action.ABORT : s.isFull() ? CanaryEngine.Action.FULL
                : weight != null ? CanaryEngine.Action.WEIGHT : CanaryEngine.Action.PROMOTE;
        return new CanaryPromoteRequest(app, blank(s.getNamespace()), action, weight == null ? 0 : weight(weight),
                duration(s.getTimeout(), DeployRequest.DEFAULT_TIMEOUT));
    }

    /** "80" or "80%": a whole number from 0 to 100. */
    static int weight(String text) throws DeployException {
        try {
            int w = Integer.parseInt(text.endsWith("%") ? text.substring(0, text.length() - 1).strip() : text);
            if (w >= 0 && w <= 100) {
                return w;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new DeployException("weight '" + text + "' is not a whole number from 0 to 100 (the canary's share"
                + " of traffic, in percent).");
    }

    /** A switch of a blue-green app: over to its preview, or back with rollback. */
    static BlueGreenSwitchRequest blueGreenSwitch(BlueGreenSwitchSettings s) throws DeployException {
        String app = required(s.getApp(), "blueGreenSwitch needs app: the app whose colours are Deployments"
                + " <app>-blue and <app>-green.");
        String analysis = blank(s.getAnalysisName());
        if (analysis == null && (blank(s.getAnalysis()) != null || blank(s.getAnalysisYaml()) != null)) {
            throw new DeployException("blueGreenSwitch was given analyses (analysis or analysisYaml) but not"
                    + " analysisName: the one to run after the switch.");
        }
        if (analysis != null && s.isRollback()) {
            throw new DeployException("blueGreenSwitch runs analysisName after switching over to the preview, not"
                    + " when switching back (rollback).");
        }
        return new BlueGreenSwitchRequest(new BlueGreenTarget(blank(s.getNamespace()), app,
                blank(s.getActiveService()), blank(s.getPreviewService())),
                duration(s.getScaleDownDelay(), BlueGreenRequest.DEFAULT_SCALE_DOWN_DELAY),
                duration(s.getTimeout(), DeployRequest.DEFAULT_TIMEOUT), s.isWaitForScaleDown())
                .withAnalysis(analysis);
    }

    /** The namespace given, else the kubeconfig context's, else "default". */
    static String namespace(String given, ClusterConnection connection) {
        return Namespaces.effective(blank(given) != null ? given.strip() : null, connection);
    }

    static Duration duration(String text, Duration byDefault) throws DeployException {
        return blank(text) == null ? byDefault : Durations.parse(text);
    }

    private static String required(String value, String message) throws DeployException {
        if (blank(value) == null) {
            throw new DeployException(message);
        }
        return value.strip();
    }

    static String blank(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    /**
     * The values ${NAME} may take: none (no substitution) unless {@code substitute} is on or variables are given; the
     * build's environment only with {@code substitute}; the step's own variables win.
     */
    static Map<String, String> variables(DeploySettings s, Map<String, String> environment) throws DeployException {
        return variables(s.isSubstitute(), s.getVariables(), environment);
    }

    /**
     * @param substitute whether the build's environment is substituted
     * @param ownVariables the step's "NAME=VALUE" lines, or null
     * @return the values {@code ${NAME}} may take, or null when nothing is substituted
     */
    static Map<String, String> variables(boolean substitute, String ownVariables, Map<String, String> environment)
            throws DeployException {
        Map<String, String> own = new LinkedHashMap<>();
        if (ownVariables != null) {
            for (String line : ownVariables.split("\\n")) {
                if (line.isBlank()) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new DeployException("The variable '" + line.strip() + "' is not NAME=VALUE. Expected one"
                            + " per line, such as TAG=1.4.2.");
                }
                own.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        if (!substitute && own.isEmpty()) {
            return null;
        }
        Map<String, String> all = new LinkedHashMap<>(substitute ? environment : Map.of());
        all.putAll(own);
        return all;
    }

    /** Manifest sources and image overrides are separated by commas or new lines; blanks are dropped. */
    static List<String> split(String list) {
        if (list == null) {
            return List.of();
        }
        return Arrays.stream(list.split("[,\\n]"))
                .map(String::strip)
                .filter(x -> !x.isEmpty())
                .toList();
    }
}
