package io.jenkins.plugins.k8sdeploy.engine.manifest;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads multi-document YAML (or JSON) into {@link Manifest}s, safely ({@link SafeYaml}): the parser builds only maps,
 * lists and scalars (never an arbitrary Java type, whatever tags the text holds), and refuses alias bombs, deep nesting
 * and oversized input before they cost memory.
 */
public final class ManifestParser {
    /** The API server takes at most 3 MiB per request; a manifest file larger than that is a mistake. */
    public static final int MAX_SOURCE_CHARS = 3 * 1024 * 1024;
    private ManifestParser() {}

    public static List<Manifest> parse(ManifestSource source) throws DeployException {
        if (source.text().length() > MAX_SOURCE_CHARS) {
            throw new DeployException(source.origin() + " is larger than " + MAX_SOURCE_CHARS / (1024 * 1024)
                    + " MiB, the most the API server accepts in one request, so it was not read. Expected Kubernetes"
                    + " manifests, not data.");
        }
        List<Manifest> manifests = new ArrayList<>();
        int[] documents = {0};
        try {
            SafeYaml.read(source.text(), MAX_SOURCE_CHARS, (document, line) -> {
                documents[0]++;
                if (document != null && !"".equals(document)) {
                    if (!(document instanceof Map<?, ?>)) {
                        throw notAnObject(source.origin() + ":" + line + " (document " + documents[0] + ")",
                                document);
                    }
                    addDocument(manifests, document, source.origin() + ":" + line);
                }
            });
        } catch (YAMLException e) {
            throw invalid(source, e);
        }
        return manifests;
    }

    private static void addDocument(List<Manifest> into, Object document, String origin) throws DeployException {
        if (!(document instanceof Map<?, ?>)) {
            throw notAnObject(origin, document);
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) document).entrySet()) {
            object.put(String.valueOf(e.getKey()), e.getValue());
        }
        if ("List".equals(object.get("kind")) && object.get("items") instanceof List<?> items) {
            for (Object item : items) {
                addDocument(into, item, origin + " (item of a List)");
            }
            return;
        }
        into.add(toManifest(object, origin));
    }

    private static Manifest toManifest(Map<String, Object> object, String origin) throws DeployException {
        String apiVersion = text(object.get("apiVersion"));
        String kind = text(object.get("kind"));
        Map<?, ?> metadata = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        String name = text(metadata.get("name"));
        List<String> missing = new ArrayList<>();
        if (apiVersion == null) {
            missing.add("apiVersion");
        }
        if (kind == null) {
            missing.add("kind");
        }
        if (name == null) {
            missing.add("metadata.name");
        }
        if (!missing.isEmpty()) {
            throw new DeployException(origin + " has no " + String.join(", ", missing) + ". Expected every object"
                    + " to have apiVersion, kind and metadata.name (generateName cannot be applied repeatably).");
        }
        return new Manifest(apiVersion, kind, name, text(metadata.get("namespace")), new LinkedHashMap<>(object),
                origin);
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s.strip() : null;
    }

    /**
     * Says where, never what: a stray document may be a token or a password pasted in the wrong place, so its text
     * is not shown.
     */
    private static DeployException notAnObject(String origin, Object document) {
        String found = document instanceof List<?> ? "a list" : "a single value (its text is not shown)";
        return new DeployException(origin + " is not a Kubernetes object: expected a mapping with apiVersion, kind"
                + " and metadata, found " + found + ". Nothing was applied.");
    }

    private static DeployException invalid(ManifestSource source, YAMLException e) {
        if (e instanceof SafeYaml.TooLarge tooLarge) {
            return new DeployException(source.origin() + " " + tooLarge.what() + ". Nothing was applied. Expected"
                    + " plain manifests.");
        }
        if (SafeYaml.isAliasBomb(e)) {
            return new DeployException(source.origin() + " uses more than " + SafeYaml.MAX_ALIASES + " YAML aliases,"
                    + " the mark of an alias bomb (\"billion laughs\"). Nothing was applied. Expected plain manifests.");
        }
        return new DeployException(source.origin() + " is not valid YAML: " + SafeYaml.problem(e) + ". Nothing was"
                + " applied.");
    }
}
