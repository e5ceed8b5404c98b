package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a blue-green deploy was asked to do, as plain data: the same value comes from a pipeline step or the command
 * line. Build one with {@link #builder()}.
 *
 * @param deploy the manifests, images, variables, namespace and timeout, as for a rolling deploy (its
 *     rollbackOnFailure and dryRun are not used: a failed colour is always scaled to zero)
 * @param app the Deployment in the manifests that is the app; {@code null} when the manifests hold exactly one
 * @param activeService the Service that takes the app's traffic; {@code null} for the one named like the app
 * @param previewService the Service that selects the colour not active; {@code null} for {@code <app>-preview}
 * @param autoSwitch switch to the new colour as soon as it is fully available; otherwise stop at "preview ready"
 * @param scaleDownDelay how long the old colour keeps its pods after a switch, for an instant switch back
 * @param waitForScaleDown after an automatic switch, wait for the old colour's scale-down (what a blocking command
 *     does); otherwise the next deploy or switch of the app scales it down
 * @param analysis the analysis to run after an automatic switch (the new colour against the old one, which keeps its
 *     pods until it passed; failed or error switches back at once); {@code null} for none
 */
public record BlueGreenRequest(
        DeployRequest deploy,
        String app,
        String activeService,
        String previewService,
        boolean autoSwitch,
        Duration scaleDownDelay,
        boolean waitForScaleDown,
        String analysis) {

    /** Argo Rollouts' scaleDownDelaySeconds default. */
    public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

    public BlueGreenRequest {
        if (deploy == null) {
            throw new IllegalArgumentException("a blue-green request needs its manifests");
        }
        scaleDownDelay = scaleDownDelay == null ? DEFAULT_SCALE_DOWN_DELAY : scaleDownDelay;
        analysis = analysis == null || analysis.isBlank() ? null : analysis.trim();
    }

    /** Without a post-switch analysis. */
    public BlueGreenRequest(DeployRequest deploy, String app, String activeService, String previewService,
            boolean autoSwitch, Duration scaleDownDelay, boolean waitForScaleDown) {
        this(deploy, app, activeService, previewService, autoSwitch, scaleDownDelay, waitForScaleDown, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: as {@link DeployRequest.Builder}; the app from the manifests; no auto switch; 30 s delay. */
    public static final class Builder {
        private final DeployRequest.Builder deploy = DeployRequest.builder();
        private String app;
        private String activeService;
        private String previewService;
        private boolean autoSwitch;
        private Duration scaleDownDelay = DEFAULT_SCALE_DOWN_DELAY;
        private boolean waitForScaleDown;
        private String analysis;

        public Builder manifests(List<String> manifests) {
            deploy.manifests(manifests);
            return this;
        }

        public Builder inlineYaml(String inlineYaml) {
            deploy.inlineYaml(inlineYaml);
            return this;
        }

        public Builder namespace(String namespace) {
            deploy.namespace(namespace);
            return this;
        }

        public Builder pinNamespace(boolean pinNamespace) {
            deploy.pinNamespace(pinNamespace);
            return this;
        }

        public Builder allowClusterScoped(List<String> kinds) {
            deploy.allowClusterScoped(kinds);
            return this;
        }

        public Builder forceConflicts(boolean forceConflicts) {
            deploy.forceConflicts(forceConflicts);
            return this;
        }

        public Builder variables(Map<String, String> variables) {
            deploy.variables(variables);
            return this;
        }

        public Builder images(Map<String, String> images) {
            deploy.images(images);
            return this;
        }

        public Builder timeout(Duration timeout) {
            deploy.timeout(timeout);
            return this;
        }

        public Builder app(String app) {
            this.app = app;
            return this;
        }

        public Builder activeService(String activeService) {
            this.activeService = activeService;
            return this;
        }

        public Builder previewService(String previewService) {
            this.previewService = previewService;
            return this;
        }

        public Builder autoSwitch(boolean autoSwitch) {
            this.autoSwitch = autoSwitch;
            return this;
        }

        public Builder scaleDownDelay(Duration scaleDownDelay) {
            this.scaleDownDelay = scaleDownDelay;
            return this;
        }

        public Builder waitForScaleDown(boolean waitForScaleDown) {
            this.waitForScaleDown = waitForScaleDown;
            return this;
        }

        public Builder analysis(String analysis) {
            this.analysis = analysis;
            return this;
        }

        public BlueGreenRequest build() {
            return new BlueGreenRequest(deploy.build(), app, activeService, previewService, autoSwitch,
                    scaleDownDelay, waitForScaleDown, analysis);
        }
    }
}
