package io.jenkins.plugins.k8sdeploy.engine.canary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Json;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The app's Deployment as a canary sees it, without the cluster: which manifest it is, its pod template (labels,
 * images, the Services that select it), the template's revision hash, and the canary Deployment made from it.
 */
final class CanaryTemplates {
    /** Sorted keys: a template's hash, and the routing annotation, do not depend on the order maps were built in. */
    static final ObjectMapper JSON = Json.canonical();

    private CanaryTemplates() {}

    /** The app: the Deployment named {@code app}, or the only Deployment of the manifests. */
    static Manifest appOf(List<Manifest> manifests, String app) throws DeployException {
        List<Manifest> deployments = manifests.stream()
                .filter(m -> "Deployment".equals(m.kind()) && "apps/v1".equals(m.apiVersion())).toList();
        if (app != null) {
            return deployments.stream().filter(m -> m.name().equals(app)).findFirst().orElseThrow(
                    () -> new DeployException("The manifests have no Deployment named '" + app + "' (they have: "
                            + names(deployments) + ")."));
        }
        if (deployments.size() != 1) {
            throw new DeployException("A canary or blue-green rollout is about one Deployment, but the manifests have "
                    + (deployments.isEmpty() ? "none" : deployments.size() + " (" + names(deployments) + ")")
                    + "; name the one to roll out with app.");
        }
        return deployments.get(0);
    }

    private static String names(List<Manifest> ms) {
        return ms.isEmpty() ? "none" : String.join(", ", ms.stream().map(Manifest::name).toList());
    }

    /** The pod template of a Deployment's body ({@code spec.template}); empty when it has none. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> templateOf(Map<String, Object> body) {
        return body.get("spec") instanceof Map<?, ?> spec && spec.get("template") instanceof Map<?, ?> t
                ? (Map<String, Object>) t : Map.of();
    }

    /** The pod template of a Deployment the server returned; {@code null} for none. */
    static Map<String, Object> template(GenericKubernetesResource r) {
        return r == null ? null : templateOf(r.getAdditionalProperties());
    }

    /** The pod template's labels. */
    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Map<String, Object> template) {
        Map<String, String> l = new LinkedHashMap<>();
        if (template.get("metadata") instanceof Map<?, ?> m && m.get("labels") instanceof Map<?, ?> labels) {
            ((Map<Object, Object>) labels).forEach((k, v) -> l.put(String.valueOf(k), String.valueOf(v)));
        }
        return l;
    }

    /** Whether {@code service}'s selector matches the pod template's labels (an empty selector matches none). */
    static boolean selects(Manifest service, Map<String, Object> template) {
        if (service.body().get("spec") instanceof Map<?, ?> spec && spec.get("selector") instanceof Map<?, ?> sel
                && !sel.isEmpty()) {
            Map<String, String> labels = labels(template);
            return sel.entrySet().stream().allMatch(e -> String.valueOf(e.getValue())
                    .equals(labels.get(String.valueOf(e.getKey()))));
        }
        return false;
    }

    /** "name=image" per container of the pod template. */
    @SuppressWarnings("unchecked")
    static List<String> imagesOf(Map<String, Object> template) {
        if (template.get("spec") instanceof Map<?, ?> spec && spec.get("containers") instanceof List<?> cs) {
            return cs.stream().filter(Map.class::isInstance).map(c -> (Map<String, Object>) c)
                    .map(c -> c.get("name") + "=" + c.get("image")).toList();
        }
        return List.of();
    }

    /** The canary's revision: the first 5 bytes of the SHA-256 of the template as sorted JSON, in hex. */
    static String hash(Map<String, Object> template) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsString(template)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("SHA-256 of plain data always works", e);
        }
    }

    /** {@code o} as sorted JSON. */
    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain data always serializes", e);
        }
    }

    /** The canary Deployment: the app's manifest under another name, its pods labelled as canary. */
    @SuppressWarnings("unchecked")
    static GenericKubernetesResource canaryDeployment(Manifest app, Map<String, String> canaryPods, int replicas)
            throws DeployException {
        KubernetesSerialization ser = KubeCluster.serialization();
        String appJson = ser.asJson(app.body());
        GenericKubernetesResource c = ser.unmarshal(appJson, GenericKubernetesResource.class);
        ObjectMeta meta = new ObjectMeta();
        meta.setName(CanaryRollout.canaryName(app.name()));
        Map<String, String> labels = new LinkedHashMap<>();
        if (c.getMetadata() != null && c.getMetadata().getLabels() != null) {
            labels.putAll(c.getMetadata().getLabels());
        }
        labels.put(CanaryState.CANARY_OF, app.name());
        meta.setLabels(labels);
        meta.setAnnotations(Map.of(CanaryState.STABLE_MANIFEST, appJson));
        c.setMetadata(meta);
        Map<String, Object> spec = (Map<String, Object>) c.getAdditionalProperties().get("spec");
        spec.put("replicas", replicas);
        spec.put("selector", Map.of("matchLabels", canaryPods));
        Map<String, Object> template = (Map<String, Object>) spec.get("template");
        Map<String, Object> tmeta = (Map<String, Object>) template.computeIfAbsent("metadata",
                k -> new LinkedHashMap<>());
        Map<String, Object> podLabels = new LinkedHashMap<>((Map<String, Object>) tmeta.getOrDefault("labels",
                Map.of()));
        podLabels.put(CanaryState.TRACK, "canary");
        tmeta.put("labels", podLabels);
        if (appJson.length() > 200_000) {
            throw new DeployException("Deployment/" + app.name() + " is too large to canary (its manifest is kept in"
                    + " an annotation, which holds at most 256 KiB).");
        }
        return c;
    }
}
