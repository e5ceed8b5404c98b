package io.jenkins.plugins.k8sdeploy.engine.manifest;

import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import java.io.StringReader;
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
 * YAML read safely, for manifests and for analysis configuration alike: SnakeYAML's safe constructor (maps, lists and
 * scalars only, whatever tags the text holds), at most {@link #MAX_ALIASES} aliases (no "billion laughs"), nesting
 * {@link #MAX_NESTING}, no duplicate keys, and a size limit checked before anything is parsed. Timestamps stay text,
 * as kubectl reads them: {@code date: 2024-01-01} is the string "2024-01-01".
 */
public final class SafeYaml {
    /** Real documents use a handful of YAML aliases; "billion laughs" documents use thousands. */
    public static final int MAX_ALIASES = 50;
    public static final int MAX_NESTING = 100;

    private SafeYaml() {}

    /** Takes each document as it is read. */
    @FunctionalInterface
    public interface DocumentHandler {
        /**
         * @param line the 1-based line the document starts on
         */
        void accept(Object document, int line) throws DeployException;
    }

    /**
     * Reads the documents of {@code text} one at a time, handing each to {@code handler} before reading the next.
     *
     * @param maxChars the most characters the parser reads (callers check the length first, with their own words)
     * @throws YAMLException when the text is not valid YAML or breaks a limit; {@link #isAliasBomb} and
     *     {@link #problem} word it
     */
    public static void read(String text, int maxChars, DocumentHandler handler) throws DeployException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(maxChars + 1);
        options.setAllowDuplicateKeys(false);
        Documents constructor = new Documents(options);
        DumperOptions unused = new DumperOptions();
        Yaml yaml = new Yaml(constructor, new Representer(unused), unused, options);
        for (Node node : yaml.composeAll(new StringReader(text))) {
            handler.accept(constructor.construct(node), node.getStartMark().getLine() + 1);
        }
    }

    /** True when reading stopped at the alias limit. */
    public static boolean isAliasBomb(YAMLException e) {
        return String.valueOf(e.getMessage()).contains("Number of aliases for non-scalar nodes exceeds");
    }

    /**
     * The problem and its line, "mapping values are not allowed here (line 3)", without the text around it that
     * SnakeYAML's own message quotes (it could be a secret).
     */
    public static String problem(YAMLException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof MarkedYAMLException marked) {
            message = marked.getProblem() != null ? marked.getProblem() : String.valueOf(marked.getContext());
            Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            return mark == null ? message : message + " (line " + (mark.getLine() + 1) + ")";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** SnakeYAML's safe constructor, one document at a time, timestamps as text. */
    private static final class Documents extends SafeConstructor {
        Documents(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }

        Object construct(Node document) {
            return constructDocument(document);
        }
    }
}
