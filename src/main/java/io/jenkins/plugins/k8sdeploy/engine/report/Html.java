package io.jenkins.plugins.k8sdeploy.engine.report;

/**
 * Markup written from templates whose holes are escaped: the one place the HTML report escapes. A template is
 * markup the code wrote; each {@code {}} in it is filled with the next value, escaped by {@link HtmlEscaper#escape}
 * (so it is safe in text, in a double-quoted attribute and in inline SVG), unless the value is itself {@code Html}
 * built here, which goes in as it is. {@code null} fills a hole with nothing.
 *
 * <pre>{@code
 * new Html().add("<td title=\"{}\">{}</td>", "a \"b\"", "<i>")   // <td title="a &quot;b&quot;">&lt;i&gt;</td>
 * }</pre>
 */
final class Html {
    private static final String HOLE = "{}";
    private final StringBuilder out;

    Html() {
        this(256);
    }

    Html(int capacity) {
        out = new StringBuilder(capacity);
    }

    /**
     * Appends {@code template} with its holes filled by {@code values}, in order.
     *
     * @throws IllegalArgumentException when the holes and the values do not match in number
     */
    Html add(String template, Object... values) {
        int from = 0;
        for (Object v : values) {
            int hole = template.indexOf(HOLE, from);
            if (hole < 0) {
                throw new IllegalArgumentException("more values than holes in " + template);
            }
            out.append(template, from, hole);
            if (v instanceof Html h) {
                out.append(h.out);
            } else if (v != null) {
                out.append(HtmlEscaper.escape(v.toString()));
            }
            from = hole + HOLE.length();
        }
        if (template.indexOf(HOLE, from) >= 0) {
            throw new IllegalArgumentException("more holes than values in " + template);
        }
        out.append(template, from, template.length());
        return this;
    }

    boolean isEmpty() {
        return out.isEmpty();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
