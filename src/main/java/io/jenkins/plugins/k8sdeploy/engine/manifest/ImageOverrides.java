package io.jenkins.plugins.k8sdeploy.engine.manifest;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sets container images by container name across every pod template in the manifests:
 * {@code web=registry.example/web:1.4.2} changes each container named "web". An override that matches no
 * container is an error, so a typo never deploys the old image silently.
 */
public final class ImageOverrides {
    private ImageOverrides() {}

    /** Parses "name=image" entries. */
    public static Map<String, String> parse(List<String> entries) throws DeployException {
        Map<String, String> images = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new DeployException("The image override '" + entry + "' is not container=image. Expected"
                        + " something like 'web=registry.example/web:1.4.2'.");
            }
            images.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return images;
    }

    /** Changes the manifests' bodies in place. */
    public static void apply(List<Manifest> manifests, Map<String, String> images) throws DeployException {
        if (images.isEmpty()) {
            return;
        }
        Set<String> used = new HashSet<>();
        for (Manifest m : manifests) {
            Map<String, Object> podSpec = podSpec(m.body(), m.kind());
            if (podSpec == null) {
                continue;
            }
            for (String list : List.of("containers", "initContainers")) {
                if (podSpec.get(list) instanceof List<?> containers) {
                    for (Object o : containers) {
                        if (o instanceof Map<?, ?> c && images.containsKey(String.valueOf(c.get("name")))) {
                            String name = String.valueOf(c.get("name"));
                            cast(c).put("image", images.get(name));
                            used.add(name);
                        }
                    }
                }
            }
        }
        Set<String> unused = new HashSet<>(images.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new DeployException("The image overrides for " + unused + " match no container in the manifests."
                    + " Expected the names of containers in a Deployment, StatefulSet, DaemonSet, Job, CronJob or"
                    + " Pod.");
        }
    }

    /** The pod spec inside a workload's body, or {@code null} for kinds without one. */
    static Map<String, Object> podSpec(Map<String, Object> body, String kind) {
        Object spec = body.get("spec");
        return switch (kind) {
            case "Pod" -> spec instanceof Map<?, ?> s ? cast(s) : null;
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> path(spec, "template", "spec");
            case "CronJob" -> path(spec, "jobTemplate", "spec", "template", "spec");
            default -> null;
        };
    }

    private static Map<String, Object> path(Object from, String... keys) {
        Object o = from;
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(k);
        }
        return o instanceof Map<?, ?> m ? cast(m) : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
