package io.jenkins.plugins.k8sdeploy.engine.manifest;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.StringReader;
import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * YAML read safely, for manifests and for analysis configuration alike: SnakeYAML's safe constructor (maps, lists and
 * scalars only, whatever tags the text holds), at most {@link #MAX_ALIASES} aliases (no "billion laughs"), nesting
 * {@link #MAX_NESTING}, no duplicate keys, and a size limit checked before anything is parsed. Timestamps stay text,
 * as kubectl reads them: {@code date: 2024-01-01} is the string "2024-01-01".
 *
 * <p>Aliases are bounded by what they expand to, too: the alias limit counts only aliases of collections, and a
 * few aliases of long text or of lists of aliases grow to gigabytes once the object is written out as JSON. Before a
 * document is built, its size with every alias written out (values, characters of keys and scalars, and depth) is
 * measured on the node graph, each shared node once, and reading stops at the innermost collection that passes a
 * limit. The limits follow the file's size limit: at most as many values as it may have characters (more than a file
 * without aliases can hold), {@link #EXPANSION} times as many characters (an anchor reused for a few copies of a
 * large schema still passes), summed over the file's documents; and {@link #MAX_NESTING} levels, as in the text.
 */
public final class SafeYaml {
    /** Real documents use a handful of YAML aliases; "billion laughs" documents use thousands. */
    public static final int MAX_ALIASES = 50;
    public static final int MAX_NESTING = 100;
    /** With aliases written out, a file may hold this many times its size limit in characters. */
    public static final int EXPANSION = 4;

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
        Expansion expansion = new Expansion(maxChars);
        for (Node node : yaml.composeAll(new StringReader(text))) {
            expansion.measure(node);
            handler.accept(constructor.construct(node), node.getStartMark().getLine() + 1);
        }
    }

    /**
     * Reading stopped because the text grows through its aliases past the file's limits (values, characters or
     * nesting), or holds an alias inside the collection it names (which never ends when written out).
     */
    public static final class TooLarge extends YAMLException {
        private static final long serialVersionUID = 1L;
        private final String what;

        TooLarge(String what) {
            super(what);
            this.what = what;
        }

        /**
         * What was found, to follow the file's name: "expands through YAML aliases to more than 12582912 characters
         * (line 7), the mark of an alias bomb (\"billion laughs\")".
         */
        public String what() {
            return what;
        }
    }

    /**
     * The size of each document with its aliases written out, summed over the whole text. Each distinct node is
     * measured once (aliases share their anchor's node), so measuring costs time and memory in proportion to the
     * text, never to what it expands to.
     */
    private static final class Expansion {
        private static final long[] MEASURING = new long[0];
        private final long maxValues;
        private final long maxChars;
        private long values;
        private long chars;
        private final Map<Node, long[]> sizes = new IdentityHashMap<>();

        Expansion(long limit) {
            this.maxValues = limit;
            this.maxChars = limit * EXPANSION;
        }

        void measure(Node document) {
            sizes.clear();
            long[] size = size(document);
            sizes.clear();
            values += size[0];
            chars += size[1];
        }

        /**
         * {values, characters, levels of nesting} of {@code node} written out, or TooLarge at the innermost
         * collection over a limit.
         */
        private long[] size(Node node) {
            long[] known = sizes.get(node);
            if (known == MEASURING) {
                throw new TooLarge("holds a YAML alias inside the collection it names (line " + line(node) + "),"
                        + " which never ends when written out");
            }
            if (known != null) {
                return known;
            }
            long[] size = {1, 0, 0};
            if (node instanceof ScalarNode scalar) {
                size[1] = scalar.getValue().length();
            } else {
                sizes.put(node, MEASURING);
                if (node instanceof SequenceNode sequence) {
                    for (Node item : sequence.getValue()) {
                        add(size, size(item), node);
                    }
                } else if (node instanceof MappingNode mapping) {
                    for (NodeTuple entry : mapping.getValue()) {
                        add(size, size(entry.getKeyNode()), node);
                        add(size, size(entry.getValueNode()), node);
                    }
                }
                size[2]++;
                if (size[2] > MAX_NESTING) {
                    throw new TooLarge("nests more than " + MAX_NESTING + " levels deep through YAML aliases (line "
                            + line(node) + ")");
                }
            }
            sizes.put(node, size);
            return size;
        }

        private void add(long[] size, long[] part, Node at) {
            size[0] += part[0];
            size[1] += part[1];
            size[2] = Math.max(size[2], part[2]);
            if (values + size[0] > maxValues) {
                throw tooLarge(maxValues + " values", at);
            }
            if (chars + size[1] > maxChars) {
                throw tooLarge(maxChars + " characters", at);
            }
        }

        private static TooLarge tooLarge(String limit, Node at) {
            return new TooLarge("expands through YAML aliases to more than " + limit + " (line " + line(at) + "),"
                    + " the mark of an alias bomb (\"billion laughs\")");
        }

        private static int line(Node node) {
            return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
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
