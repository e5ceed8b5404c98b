package io.jenkins.plugins.k8sdeploy.engine.report;

/**
 * Escapes text for the three places the report puts a string from a record: HTML text, a double-quoted attribute
 * value, and text inside inline SVG (which the HTML parser reads as foreign content, decoding the same character
 * references). Record strings are hostile input: event messages carry pod names, kubelet reasons and annotations
 * straight from the cluster.
 *
 * <p>Not for unquoted attributes, URLs, CSS or scripts: the report never puts a record string there.
 *
 * <pre>{@code
 * HtmlEscaper.escape("\"><img src=x onerror=alert(1)>")  // &quot;&gt;&lt;img src=x onerror=alert(1)&gt;
 * HtmlEscaper.token("FAILED; color:red")                  // FAILEDcolorred (for a class name)
 * }</pre>
 */
public final class HtmlEscaper {
    private HtmlEscaper() {}

    /**
     * {@code &}, {@code <}, {@code >}, {@code "} and {@code '} as character references; control characters (other than
     * tab, new line and carriage return) and lone surrogates, which HTML does not allow, as U+FFFD. {@code null} is
     * the empty string.
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> disallowed(s, i) ? "\uFFFD" : null;
            };
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (rep != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (rep != null) {
                    out.append(rep);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * The string with what HTML does not allow (control characters other than tab, new line and carriage return, lone
     * surrogates) as U+FFFD, and nothing else changed; {@code null} is the empty string. For text a template escapes.
     */
    public static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean bad = disallowed(s, i);
            if (bad && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** Only ASCII letters, digits, {@code -} and {@code _}: safe as a class name or an id, whatever came in. */
    public static String token(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean disallowed(String s, int i) {
        char c = s.charAt(i);
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        if (c < 0x20 || c >= 0x7f && c < 0xa0) {
            return true;
        }
        if (Character.isLowSurrogate(c)) {
            return true; // a pair's low half is consumed with its high half; this one is alone
        }
        return Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)));
    }
}
