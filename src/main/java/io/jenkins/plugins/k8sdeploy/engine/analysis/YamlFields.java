package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed settings out of loaded YAML (maps, lists and scalars), noting every problem with its place
 * ({@code analyses.error-rate.metrics[0].interval: '5 sec' is not a duration.}) rather than stopping at the first; a
 * setting of the wrong kind is read as absent once its problem is noted.
 */
final class YamlFields {
    final List<String> problems = new ArrayList<>();

    void problem(String path, String message) {
        problems.add((path == null ? "" : path + ": ") + sentence(message));
    }

    String kind(Object v) {
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        if (v instanceof String s) {
            return "the text '" + abbreviate(s) + "'";
        }
        return v == null ? "nothing" : "the " + (v instanceof Boolean ? "boolean" : v instanceof Number
                ? "number" : "value") + " " + abbreviate(String.valueOf(v));
    }

    /** A mapping with text keys, null when absent (or, after a problem is noted, of the wrong kind). */
    Map<String, Object> map(Object v, String path) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            if (path != null) {
                problem(path, "expected a mapping, found " + kind(v));
            }
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, value) -> out.put(String.valueOf(k), value));
        return out;
    }

    void known(Map<String, Object> m, Set<String> keys, String path) {
        for (String k : m.keySet()) {
            if (!keys.contains(k)) {
                String guess = closest(k, keys);
                problem(path == null ? k : path + "." + k, "unknown setting"
                        + (guess == null ? "" : "; did you mean " + guess + "?") + " (known here: "
                        + String.join(", ", keys) + ")");
            }
        }
    }

    String text(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        problem(path + "." + key, "expected text, found " + kind(v));
        return null;
    }

    Integer whole(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if ((v instanceof Integer || v instanceof Long || v instanceof BigInteger)
                && ((Number) v).longValue() == ((Number) v).doubleValue()
                && Math.abs(((Number) v).longValue()) <= Integer.MAX_VALUE) {
            return ((Number) v).intValue();
        }
        problem(path + "." + key, "expected a whole number, found " + kind(v));
        return null;
    }

    Double number(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && !(v instanceof BigInteger)) {
            return n.doubleValue();
        }
        problem(path + "." + key, "expected a number, found " + kind(v));
        return null;
    }

    /** The boolean at {@code key}, else {@code otherwise} (also when it is not a boolean: that is a problem). */
    boolean bool(Map<String, Object> m, String key, String path, boolean otherwise) {
        Object v = m.get(key);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        problem(path + "." + key, "expected true or false, found " + kind(v));
        return otherwise;
    }

    Duration duration(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            problem(path + "." + key, "expected a duration such as 30s, found " + kind(v));
            return null;
        }
        try {
            return Durations.parse(String.valueOf(v));
        } catch (DeployException e) {
            problem(path + "." + key, e.getMessage());
            return null;
        }
    }

    <E extends Enum<E>> E choice(Map<String, Object> m, String key, String path, Class<E> type) {
        String v = text(m, key, path);
        if (v == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String name = e.name().toLowerCase(Locale.ROOT);
            names.add(name);
            if (name.equalsIgnoreCase(v.strip())) {
                return e;
            }
        }
        problem(path + "." + key, "'" + abbreviate(v) + "' is not one of " + String.join(", ", names));
        return null;
    }

    /**
     * The entries of a list of mappings; an entry that is no mapping is noted and given as null, so the others
     * keep their places.
     */
    List<Map<String, Object>> list(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> items)) {
            problem(path + "." + key, "expected a list, found " + kind(v));
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = path + "." + key + "[" + i + "]";
            if (items.get(i) == null) {
                problem(at, "the entry is empty");
            }
            out.add(map(items.get(i), at));
        }
        return out;
    }

    /** The known key closest to a misspelt one, or null when none is close. */
    static String closest(String key, Set<String> keys) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : keys) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, key.length() / 3)) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    static String sentence(String s) {
        return s.endsWith(".") ? s : s + ".";
    }
}
