package io.jenkins.plugins.k8sdeploy.engine.manifest;

import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads multi-document YAML (or JSON) into {@link Manifest}s, safely: the parser builds only maps, lists and scalars
 * (never an arbitrary Java type, whatever tags the text holds), and refuses alias bombs, deep nesting and oversized
 * input before they cost memory.
 */
public final class ManifestParser {
    /** The API server takes at most 3 MiB per request; a manifest file larger than that is a mistake. */
    public static final int MAX_SOURCE_CHARS = 3 * 1024 * 1024;
    /** Real manifests use a handful of YAML aliases; "billion laughs" documents use thousands. */
    static final int MAX_ALIASES = 50;
    static final int MAX_NESTING = 100;

    private ManifestParser() {}

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_SOURCE_CHARS + 1);
        options.setAllowDuplicateKeys(false);
        return options;
    }

    /**
     * SnakeYAML's safe constructor (maps, lists, scalars only; global tags refused), one document at a time.
     * Timestamps stay text, as kubectl reads them: {@code date: 2024-01-01} is the string "2024-01-01".
     */
    private static final class Documents extends SafeConstructor {
        Documents(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }

        Object construct(Node document) {
            return constructDocument(document);
        }
    }

    public static List<Manifest> parse(ManifestSource source) throws DeployException {
        if (source.text().length() > MAX_SOURCE_CHARS) {
            throw new DeployException(source.origin() + " is larger than " + MAX_SOURCE_CHARS / (1024 * 1024)
                    + " MiB, the most the API server accepts in one request, so it was not read. Expected Kubernetes"
                    + " manifests, not data.");
        }
        LoaderOptions options = loaderOptions();
        Documents constructor = new Documents(options);
        DumperOptions unused = new DumperOptions();
        Yaml yaml = new Yaml(constructor, new Representer(unused), unused, options);
        List<Manifest> manifests = new ArrayList<>();
        try {
            for (Node node : yaml.composeAll(new StringReader(source.text()))) {
                Object document = constructor.construct(node);
                if (document != null && !"".equals(document)) {
                    addDocument(manifests, document, source.origin() + ":" + (node.getStartMark().getLine() + 1));
                }
            }
        } catch (YAMLException e) {
            throw invalid(source, e);
        }
        return manifests;
    }

    private static void addDocument(List<Manifest> into, Object document, String origin) throws DeployException {
        if (!(document instanceof Map<?, ?>)) {
            throw new DeployException(origin + " is not a Kubernetes object: expected a mapping with apiVersion, kind"
                    + " and metadata, found " + describe(document) + ".");
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

    private static String describe(Object document) {
        if (document instanceof List<?>) {
            return "a list";
        }
        return "the scalar '" + abbreviate(String.valueOf(document)) + "'";
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static DeployException invalid(ManifestSource source, YAMLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Number of aliases for non-scalar nodes exceeds")) {
            return new DeployException(source.origin() + " uses more than " + MAX_ALIASES + " YAML aliases, the"
                    + " mark of an alias bomb (\"billion laughs\"). Nothing was applied. Expected plain manifests.");
        }
        String where = "";
        if (e instanceof MarkedYAMLException marked) {
            // Only the problem and its line: SnakeYAML's full message quotes the text around it.
            message = marked.getProblem() != null ? marked.getProblem() : String.valueOf(marked.getContext());
            Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            if (mark != null) {
                where = " (line " + (mark.getLine() + 1) + ")";
            }
        } else {
            int nl = message.indexOf('\n');
            message = nl < 0 ? message : message.substring(0, nl);
        }
        return new DeployException(source.origin() + " is not valid YAML: " + message + where + ". Nothing was"
                + " applied.");
    }
}
