package io.jenkins.plugins.k8sdeploy.engine.canary;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import java.util.List;
import java.util.Map;

/**
 * Where the router and services of a canary are written down ({@link CanaryState#ROUTING} on the stable Deployment),
 * so a later step or the command line can carry on.
 */
record CanaryRouting(RouterSpec router, String stableService, String canaryService, boolean canaryServiceOurs,
        Map<String, String> stablePodLabels, Map<String, String> canaryPodLabels, boolean hpa, int maxSurge,
        int maxUnavailable, List<String> fromImages, List<String> toImages) {

    /** The annotation's value. */
    String toJson() {
        return CanaryTemplates.json(this);
    }

    /** The routing the annotations {@code a} of Deployment/{@code app} hold ({@code {}} when they hold none). */
    static CanaryRouting of(Map<String, String> a, String app) throws DeployException {
        try {
            return CanaryTemplates.JSON.readValue(a.getOrDefault(CanaryState.ROUTING, "{}"), CanaryRouting.class);
        } catch (JsonProcessingException e) {
            throw new DeployException("The " + CanaryState.ROUTING + " annotation of Deployment/" + app
                    + " is not readable (" + e.getOriginalMessage() + "); abort the canary by deleting Deployment/"
                    + CanaryRollout.canaryName(app) + " and the canary annotations.");
        }
    }
}
