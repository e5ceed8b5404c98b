package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The small path language of {@link HttpCheckProvider}: where in a JSON answer the numbers are.
 *
 * <pre>
 * $                      the whole answer (e.g. a bare number)
 * $.checks.db.latency    fields
 * $['odd.key'].value     a field whose name has dots, spaces or brackets ('...' or "...")
 * $.pods[0].ready        an element of a list, from 0
 * $.pods[*].latency      every element of a list (or every field of an object): several values
 * $.status == 'UP'       1 where the value's text equals 'UP', else 0 ({@code !=} the opposite)
 * </pre>
 *
 * <p>Values: a number is itself; {@code true} is 1 and {@code false} 0; a string holding a number ("0.25", "NaN",
 * "+Inf") is that number; {@code null} is NaN (no data); a list at the end of the path gives each of its elements.
 * Anything else (other text, an object) is an error naming the path, as is a path that is not there.
 */
final class JsonPath {
    private final String source;
    private final List<Object> steps;
    private final String compareOp;
    private final String compareTo;

    /** A path step that takes every element (or field value). */
    private static final Object ALL = new Object();

    private JsonPath(String source, List<Object> steps, String compareOp, String compareTo) {
        this.source = source;
        this.steps = steps;
        this.compareOp = compareOp;
        this.compareTo = compareTo;
    }

    /** The path as written. */
    @Override
    public String toString() {
        return source;
    }

    /**
     * Reads a path.
     *
     * @throws IllegalArgumentException saying where the path stops making sense
     */
    static JsonPath parse(String text) {
        String s = text.strip();
        if (!s.startsWith("$")) {
            throw new IllegalArgumentException("the JSON path '" + s + "' does not start with $ (e.g. $.status)");
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=' && s.charAt(i) != '!') {
            char c = s.charAt(i);
            if (c == '.') {
                int start = ++i;
                if (i < s.length() && s.charAt(i) == '*') {
                    steps.add(ALL);
                    i++;
                    continue;
                }
                while (i < s.length() && ".[]=! \t".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                if (i == start) {
                    throw bad(s, start, "a field name after '.'");
                }
                steps.add(s.substring(start, i));
            } else if (c == '[') {
                int close;
                if (s.startsWith("['", i) || s.startsWith("[\"", i)) {
                    char quote = s.charAt(i + 1);
                    int end = s.indexOf(quote, i + 2);
                    if (end < 0 || end + 1 >= s.length() || s.charAt(end + 1) != ']') {
                        throw bad(s, i, "a quoted field name closed by " + quote + "]");
                    }
                    steps.add(s.substring(i + 2, end));
                    i = end + 2;
                    continue;
                }
                close = s.indexOf(']', i);
                if (close < 0) {
                    throw bad(s, i, "']'");
                }
                String inside = s.substring(i + 1, close).strip();
                if (inside.equals("*")) {
                    steps.add(ALL);
                } else if (inside.matches("\\d{1,9}")) {
                    steps.add(Integer.parseInt(inside));
                } else {
                    throw bad(s, i + 1, "an index from 0, '*', or a quoted field name, not '" + inside + "'");
                }
                i = close + 1;
            } else {
                throw bad(s, i, "'.' or '['");
            }
        }
        String rest = s.substring(i).strip();
        String op = null;
        String value = null;
        if (!rest.isEmpty()) {
            if (!rest.startsWith("==") && !rest.startsWith("!=")) {
                throw bad(s, i, "the end, or == 'text'");
            }
            op = rest.substring(0, 2);
            String literal = rest.substring(2).strip();
            if (literal.length() < 2 || (literal.charAt(0) != '\'' && literal.charAt(0) != '"')
                    || literal.charAt(literal.length() - 1) != literal.charAt(0)) {
                throw new IllegalArgumentException("in the JSON path '" + s + "', " + op + " must be followed by a"
                        + " quoted text such as 'UP'");
            }
            value = literal.substring(1, literal.length() - 1);
        }
        return new JsonPath(s, steps, op, value);
    }

    private static IllegalArgumentException bad(String s, int at, String expected) {
        return new IllegalArgumentException("the JSON path '" + s + "' is not valid at character " + (at + 1)
                + ": expected " + expected);
    }

    /**
     * The values at this path.
     *
     * @throws IllegalArgumentException naming the path where the answer has nothing, or a value that is no number
     */
    List<Double> values(JsonNode root) {
        List<JsonNode> nodes = List.of(root);
        StringBuilder at = new StringBuilder("$");
        for (Object step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : nodes) {
                if (step == ALL) {
                    if (!n.isContainerNode()) {
                        throw new IllegalArgumentException(at + " is " + kind(n) + ", not a list or object, so "
                                + "[*] has nothing to take");
                    }
                    n.elements().forEachRemaining(next::add);
                } else if (step instanceof Integer index) {
                    if (!n.isArray()) {
                        throw new IllegalArgumentException(at + " is " + kind(n) + ", not a list");
                    }
                    if (index >= n.size()) {
                        throw new IllegalArgumentException(at + " has no element [" + index + "] (it has "
                                + n.size() + ")");
                    }
                    next.add(n.get(index));
                } else {
                    String field = (String) step;
                    if (!n.isObject()) {
                        throw new IllegalArgumentException(at + " is " + kind(n) + ", not an object, so it has no"
                                + " field '" + field + "'");
                    }
                    if (!n.has(field)) {
                        throw new IllegalArgumentException(at + " has no field '" + field + "' (its fields: "
                                + fields(n) + ")");
                    }
                    next.add(n.get(field));
                }
            }
            nodes = next;
            at.append(step == ALL ? "[*]" : step instanceof Integer i ? "[" + i + "]"
                    : ((String) step).matches("[A-Za-z_][A-Za-z0-9_-]*") ? "." + step : "['" + step + "']");
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode n : nodes) {
            if (compareOp != null) {
                if (n.isContainerNode()) {
                    throw new IllegalArgumentException(at + " is " + kind(n) + ", which cannot be compared with '"
                            + compareTo + "'");
                }
                boolean equal = n.asText().equals(compareTo);
                out.add(equal == compareOp.equals("==") ? 1.0 : 0.0);
            } else if (n.isArray() && nodes.size() == 1 && !steps.contains(ALL)) {
                for (JsonNode e : n) {
                    out.add(number(e, at + "[...]"));
                }
            } else {
                out.add(number(n, at.toString()));
            }
        }
        return out;
    }

    private static double number(JsonNode n, String at) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean() ? 1 : 0;
        }
        if (n.isNull() || n.isMissingNode()) {
            return Double.NaN;
        }
        if (n.isTextual()) {
            try {
                return PrometheusProvider.parse(n.asText());
            } catch (PrometheusProvider.Shape e) {
                String t = n.asText().length() > 40 ? n.asText().substring(0, 40) + "..." : n.asText();
                throw new IllegalArgumentException(at + " is the text '" + t + "', not a number; compare it, as in"
                        + " '" + at + " == \"" + t + "\"' (1 when equal, else 0)");
            }
        }
        throw new IllegalArgumentException(at + " is " + kind(n) + ", not a number; name a field inside it (its"
                + " fields: " + fields(n) + ")");
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isTextual()) {
            return "a text";
        }
        if (n.isNull()) {
            return "null";
        }
        return n.isNumber() ? "a number" : n.isBoolean() ? "a boolean" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String fields(JsonNode n) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = n.fieldNames();
        while (it.hasNext() && names.size() < 20) {
            names.add(it.next());
        }
        return names.isEmpty() ? "none" : String.join(", ", names) + (it.hasNext() ? ", ..." : "");
    }
}
