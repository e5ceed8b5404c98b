package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.Durations;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryPlan;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ImageOverrides;
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
        if (s.isPinNamespace() && (s.getNamespace() == null || s.getNamespace().isBlank())) {
            throw new DeployException("pinNamespace needs namespace: the namespace every manifest must deploy to.");
        }
        return DeployRequest.builder()
                .manifests(manifests)
                .inlineYaml(s.getYaml())
                .namespace(s.getNamespace())
                .pinNamespace(s.isPinNamespace())
                .variables(variables(s, environment))
                .images(ImageOverrides.parse(split(s.getImages())))
                .timeout(s.getTimeout() == null || s.getTimeout().isBlank()
                        ? DeployRequest.DEFAULT_TIMEOUT : Durations.parse(s.getTimeout()))
                .rollbackOnFailure(s.isRollback())
                .dryRun(s.isDryRun())
                .build();
    }

    static final String ROLLING = "rolling";
    static final String CANARY = "canary";
    static final String BLUE_GREEN = "blueGreen";

    /** The strategy as the engine names it; a clear error for anything else. */
    static String strategy(StrategySettings s) throws DeployException {
        String v = s.getStrategy() == null ? "" : s.getStrategy().strip();
        return switch (v.toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "")) {
            case "", "rolling" -> ROLLING;
            case "canary" -> CANARY;
            case "bluegreen" -> BLUE_GREEN;
            default -> throw new DeployException("'" + v + "' is not a strategy. Expected rolling (the default),"
                    + " canary or blueGreen.");
        };
    }

    /** A canary rollout of the deploy {@code s} describes, driven by {@code driver}. */
    static CanaryRequest canary(DeploySettings d, StrategySettings s, Map<String, String> environment, String driver)
            throws DeployException {
        DeployRequest deploy = deploy(d, environment);
        if (deploy.dryRun()) {
            throw new DeployException("dryRun shows what a deploy would change; use it without strategy.");
        }
        return new CanaryRequest(deploy, blank(s.getApp()), CanaryPlan.parse(s.getPlan()),
                RouterSpec.parse(blank(s.getRouter()), blank(s.getRouterName()), split(s.getRoutes()),
                        blank(s.getStableSubset()), blank(s.getCanarySubset()), blank(s.getDestinationRule())),
                blank(s.getStableService()), blank(s.getCanaryService()), driver);
    }

    static String blank(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    /**
     * The values ${NAME} may take: none (no substitution) unless {@code substitute} is on or variables are given; the
     * build's environment only with {@code substitute}; the step's own variables win.
     */
    static Map<String, String> variables(DeploySettings s, Map<String, String> environment) throws DeployException {
        Map<String, String> own = new LinkedHashMap<>();
        if (s.getVariables() != null) {
            for (String line : s.getVariables().split("\\n")) {
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
        if (!s.isSubstitute() && own.isEmpty()) {
            return null;
        }
        Map<String, String> all = new LinkedHashMap<>(s.isSubstitute() ? environment : Map.of());
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
