package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.Durations;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ImageOverrides;
import java.util.Arrays;
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
                .variables(s.isSubstitute() ? environment : null)
                .images(ImageOverrides.parse(split(s.getImages())))
                .timeout(s.getTimeout() == null || s.getTimeout().isBlank()
                        ? DeployRequest.DEFAULT_TIMEOUT : Durations.parse(s.getTimeout()))
                .rollbackOnFailure(s.isRollback())
                .dryRun(s.isDryRun())
                .build();
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
