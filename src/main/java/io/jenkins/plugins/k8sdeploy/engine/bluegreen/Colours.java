package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names, labels and annotations blue-green keeps in the cluster, and the pure changes it makes to the user's
 * manifests before they are applied: the app's Deployment becomes a colour Deployment, the active Service gets the
 * colour in its selector, and the preview Service is made from the active one.
 */
final class Colours {
    static final String BLUE = "blue";
    static final String GREEN = "green";

    /** On the colour Deployment's selector and pod template: which colour the pods are. */
    static final String COLOUR = "k8s-progressive-delivery.jenkins.io/colour";
    /** On the colour Deployments and the preview Service: the app they belong to. */
    static final String COLOUR_OF = "k8s-progressive-delivery.jenkins.io/colour-of";
    /** On the colour just left by a switch: when it is to be scaled to zero (RFC 3339). */
    static final String SCALE_DOWN_AT = "k8s-progressive-delivery.jenkins.io/scale-down-at";
    /**
     * On a colour Deployment: "false" when a deploy wrote its template, "true" once a switch made it active. Only a
     * colour that has served can be switched back to; only one that has not can be switched over to.
     */
    static final String HAS_SERVED = "k8s-progressive-delivery.jenkins.io/has-served";

    private Colours() {}

    static String other(String colour) {
        return BLUE.equals(colour) ? GREEN : BLUE;
    }

    static boolean isColour(String value) {
        return BLUE.equals(value) || GREEN.equals(value);
    }

    static String deploymentName(String app, String colour) {
        return app + "-" + colour;
    }

    /** The colour a Service's selector names, or {@code null}. */
    static String colourOf(Map<String, String> selector) {
        String c = selector == null ? null : selector.get(COLOUR);
        return isColour(c) ? c : null;
    }

    /** The selector without the colour: what selects the app's pods of either colour. */
    static Map<String, String> baseSelector(Map<String, String> selector) {
        Map<String, String> base = new LinkedHashMap<>(selector == null ? Map.of() : selector);
        base.remove(COLOUR);
        return base;
    }

    /**
     * The colour Deployment made from the app's Deployment manifest: named {@code <app>-<colour>}, the colour added
     * to its selector and pod labels, labelled as the app's, marked as not having served yet.
     */
    static Manifest colourDeployment(Manifest app, String colour, String namespace) {
        Map<String, Object> body = deepCopy(app.body());
        Map<String, Object> metadata = map(body, "metadata");
        String name = deploymentName(app.name(), colour);
        metadata.put("name", name);
        map(metadata, "labels").put(COLOUR_OF, app.name());
        map(metadata, "annotations").put(HAS_SERVED, "false");
        Map<String, Object> spec = map(body, "spec");
        map(map(spec, "selector"), "matchLabels").put(COLOUR, colour);
        map(map(map(spec, "template"), "metadata"), "labels").put(COLOUR, colour);
        return new Manifest(app.apiVersion(), app.kind(), name, namespace, body,
                app.origin() + ", as " + colour);
    }

    /** A Service manifest with {@code colour} added to its selector (in memory; the file is not changed). */
    static Manifest withColour(Manifest service, String colour, String app, boolean labelAsApps) {
        Map<String, Object> body = deepCopy(service.body());
        Map<String, Object> spec = map(body, "spec");
        if (colour != null) {
            map(spec, "selector").put(COLOUR, colour);
        }
        if (labelAsApps) {
            map(map(body, "metadata"), "labels").put(COLOUR_OF, app);
        }
        return new Manifest(service.apiVersion(), service.kind(), service.name(), service.namespace(), body,
                service.origin());
    }

    /**
     * The preview Service: the active Service's ports (node ports left out) with its base selector plus the preview
     * colour, labelled as the app's.
     */
    static Manifest previewService(String name, String namespace, String app, Map<String, String> baseSelector,
            List<?> activePorts, String colour, String origin) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("labels", new LinkedHashMap<>(Map.of(COLOUR_OF, app)));
        Map<String, Object> selector = new LinkedHashMap<>(baseSelector);
        selector.put(COLOUR, colour);
        List<Object> ports = new ArrayList<>();
        for (Object o : activePorts == null ? List.of() : activePorts) {
            if (o instanceof Map<?, ?> p) {
                Map<String, Object> port = new LinkedHashMap<>();
                for (String key : List.of("name", "protocol", "appProtocol", "port", "targetPort")) {
                    if (p.get(key) != null) {
                        port.put(key, p.get(key));
                    }
                }
                ports.add(port);
            }
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "ClusterIP");
        spec.put("selector", selector);
        spec.put("ports", ports);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", "Service");
        body.put("metadata", metadata);
        body.put("spec", spec);
        return new Manifest("v1", "Service", name, namespace, body, origin);
    }

    /** The Service manifest's selector as strings; an error when it has none. */
    static Map<String, String> selectorOf(Manifest service) throws DeployException {
        Object spec = service.body().get("spec");
        Object selector = spec instanceof Map<?, ?> s ? s.get("selector") : null;
        if (!(selector instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new DeployException("Service/" + service.name() + " (" + service.origin() + ") has no selector."
                    + " Expected a selector matching the app's pod labels: blue-green adds the colour to it.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    /** The pod template labels of a Deployment manifest. */
    static Map<String, String> templateLabels(Manifest deployment) {
        Map<String, String> out = new LinkedHashMap<>();
        Object spec = deployment.body().get("spec");
        Object template = spec instanceof Map<?, ?> s ? s.get("template") : null;
        Object metadata = template instanceof Map<?, ?> t ? t.get("metadata") : null;
        Object labels = metadata instanceof Map<?, ?> md ? md.get("labels") : null;
        if (labels instanceof Map<?, ?> l) {
            l.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    /** spec.replicas of a Deployment manifest (1 when absent, as the API server defaults it). */
    static int replicas(Manifest deployment) {
        Object spec = deployment.body().get("spec");
        Object replicas = spec instanceof Map<?, ?> s ? s.get("replicas") : null;
        return replicas instanceof Number n ? n.intValue() : 1;
    }

    /** The ports list of a Service manifest. */
    static List<?> portsOf(Manifest service) {
        Object spec = service.body().get("spec");
        Object ports = spec instanceof Map<?, ?> s ? s.get("ports") : null;
        return ports instanceof List<?> l ? l : List.of();
    }

    /** The map under {@code key}, created (or replaced by a mutable copy) when needed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object o = parent.get(key);
        if (o instanceof LinkedHashMap<?, ?> m) {
            return (Map<String, Object>) m;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> existing) {
            existing.forEach((k, v) -> m.put(String.valueOf(k), v));
        }
        parent.put(key, m);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> source) {
        return (Map<String, Object>) copy(source);
    }

    private static Object copy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(copy(v)));
            return out;
        }
        return o;
    }
}
