package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import java.io.Serializable;

/**
 * Which blue-green app: where it is, and the two Services in front of its colours. Plain serializable data.
 *
 * @param namespace {@code null} until resolved (the connection's default namespace, else "default")
 * @param app the app's name: its colours are Deployments {@code <app>-blue} and {@code <app>-green}
 * @param activeService the Service that takes the app's traffic (default: {@code <app>})
 * @param previewService the Service that selects the other colour (default: {@code <app>-preview})
 */
public record BlueGreenTarget(String namespace, String app, String activeService, String previewService)
        implements Serializable {

    public BlueGreenTarget {
        if (app == null || app.isBlank()) {
            throw new IllegalArgumentException("a blue-green target needs the app's name");
        }
        activeService = activeService == null || activeService.isBlank() ? app : activeService;
        previewService = previewService == null || previewService.isBlank() ? app + "-preview" : previewService;
    }

    /** The app with the default Services. */
    public static BlueGreenTarget of(String namespace, String app) {
        return new BlueGreenTarget(namespace, app, null, null);
    }

    public BlueGreenTarget inNamespace(String namespace) {
        return new BlueGreenTarget(namespace, app, activeService, previewService);
    }

    /** The Deployment of one colour: {@code web-blue}. */
    public String deployment(String colour) {
        return Colours.deploymentName(app, colour);
    }
}
