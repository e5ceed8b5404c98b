package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.fabric8.kubernetes.api.model.Service;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The manifests of a blue-green deploy as they are applied: which Deployment is the app, and the app's Deployment
 * written as the new colour's, the active Service keeping its colour, the preview Service selecting the new one.
 */
final class BlueGreenManifests {
    private BlueGreenManifests() {}

    /** The app: the Deployment named {@code app}, or the only Deployment in the manifests. */
    static Manifest findApp(List<Manifest> manifests, String app) throws DeployException {
        List<Manifest> deployments = manifests.stream()
                .filter(m -> "Deployment".equals(m.kind()) && "apps/v1".equals(m.apiVersion()))
                .toList();
        if (app != null && !app.isBlank()) {
            return deployments.stream().filter(m -> m.name().equals(app)).findFirst().orElseThrow(() ->
                    new DeployException("The manifests hold no Deployment named '" + app + "'"
                            + (deployments.isEmpty() ? "" : " (they hold " + deployments.stream()
                                    .map(Manifest::describe).collect(Collectors.joining(", ")) + ")")
                            + ". Expected the app's Deployment: blue-green makes its two colours from it."
                            + " Nothing was applied."));
        }
        if (deployments.size() != 1) {
            throw new DeployException((deployments.isEmpty() ? "The manifests hold no Deployment"
                    : "The manifests hold " + deployments.size() + " Deployments (" + deployments.stream()
                            .map(Manifest::describe).collect(Collectors.joining(", ")) + ")")
                    + ". Expected exactly one, the app, or the app named. Nothing was applied.");
        }
        return deployments.get(0);
    }

    /**
     * The manifests as they are applied: the app's Deployment becomes the new colour's, the active Service keeps the
     * live colour in its selector, the preview Service selects the new colour.
     */
    static List<Manifest> transform(List<Manifest> manifests, Manifest app, BlueGreenTarget target,
            String namespace, Service liveActive, String active, String colour) throws DeployException {
        Manifest activeManifest = null;
        Manifest previewManifest = null;
        for (Manifest m : manifests) {
            if (isService(m, namespace) && m.name().equals(target.activeService())) {
                activeManifest = m;
            } else if (isService(m, namespace) && m.name().equals(target.previewService())) {
                previewManifest = m;
            }
        }
        if (activeManifest == null && liveActive == null) {
            throw new DeployException("Service/" + target.activeService() + " is neither in the manifests nor in"
                    + " namespace " + namespace + ". Expected the active Service of " + app.name() + " (its selector"
                    + " matching the app's pod labels), or activeService naming another. Nothing was applied.");
        }
        Map<String, String> base = activeManifest != null
                ? Colours.baseSelector(Colours.selectorOf(activeManifest))
                : Colours.baseSelector(liveActive.getSpec().getSelector());
        Map<String, String> podLabels = Colours.templateLabels(app);
        for (var e : base.entrySet()) {
            if (!Objects.equals(podLabels.get(e.getKey()), e.getValue())) {
                throw new DeployException("Service/" + target.activeService() + " selects " + base + ", which the"
                        + " pods of Deployment/" + app.name() + " (" + app.origin() + ", labels " + podLabels + ") do"
                        + " not match. Expected the active Service to select the app's pods. Nothing was applied.");
            }
        }
        if (base.isEmpty()) {
            throw new DeployException("Service/" + target.activeService() + " has an empty selector. Expected one"
                    + " matching the app's pod labels. Nothing was applied.");
        }
        List<Manifest> out = new ArrayList<>();
        for (Manifest m : manifests) {
            if (m == app) {
                out.add(Colours.colourDeployment(app, colour, namespace));
            } else if (m == activeManifest) {
                // The live colour stays in the selector: applying the user's Service never un-switches it. On a first
                // deploy over a Service that already serves (no colour yet), its selector stays as it is until the
                // switch; a Service that does not exist yet starts out selecting the new colour.
                String keep = active != null ? active : liveActive == null ? colour : null;
                out.add(Colours.withColour(m, keep, app.name(), false));
            } else if (m == previewManifest) {
                out.add(Colours.withColour(m, colour, app.name(), true));
            } else {
                out.add(m);
            }
        }
        if (previewManifest == null) {
            out.add(Colours.previewService(target.previewService(), namespace, app.name(), base,
                    activeManifest != null ? Colours.portsOf(activeManifest) : livePorts(liveActive), colour,
                    "made from Service/" + target.activeService()));
        }
        return out;
    }

    private static List<?> livePorts(Service s) {
        List<Object> ports = new ArrayList<>();
        if (s.getSpec().getPorts() != null) {
            for (var p : s.getSpec().getPorts()) {
                Map<String, Object> port = new LinkedHashMap<>();
                if (p.getName() != null) {
                    port.put("name", p.getName());
                }
                port.put("protocol", p.getProtocol());
                if (p.getAppProtocol() != null) {
                    port.put("appProtocol", p.getAppProtocol());
                }
                port.put("port", p.getPort());
                if (p.getTargetPort() != null) {
                    port.put("targetPort", p.getTargetPort().getIntVal() != null ? p.getTargetPort().getIntVal()
                            : p.getTargetPort().getStrVal());
                }
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean isService(Manifest m, String namespace) {
        return "Service".equals(m.kind()) && "v1".equals(m.apiVersion())
                && (m.namespace() == null || m.namespace().equals(namespace));
    }
}
