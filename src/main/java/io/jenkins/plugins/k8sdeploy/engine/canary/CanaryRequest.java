package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;

/**
 * A canary rollout as plain data: the deploy it wraps (manifests, images, namespace, timeout), which Deployment is the
 * app, the plan, and how traffic is split.
 *
 * @param app the Deployment to canary; {@code null} when the manifests hold exactly one
 * @param plan as {@link CanaryPlan#parse} reads it
 * @param router {@code null} for a split by replica counts (no mesh needed)
 * @param stableService the Service in front of the app; {@code null}: the Service of the manifests that selects the
 *     app's pods, else one named like the app
 * @param canaryService router mode: the Service in front of the canary, created when missing; {@code null}:
 *     {@code <stableService>-canary}
 * @param driver who drives the canary ("jenkins: shop/deploy #12", "k8spd"), written on the Deployment
 */
public record CanaryRequest(
        DeployRequest deploy,
        String app,
        CanaryPlan plan,
        RouterSpec router,
        String stableService,
        String canaryService,
        String driver) {}
