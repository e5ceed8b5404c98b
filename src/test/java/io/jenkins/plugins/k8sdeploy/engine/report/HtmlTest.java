package io.jenkins.plugins.k8sdeploy.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void holesAreEscapedAndMarkupOfOursGoesInAsItIs() {
        Html badge = new Html().add("<span class=\"{}\">{}</span>", "outcome", "<b>");
        assertEquals("<td title=\"a &quot;b&quot; &amp; &#39;c&#39;\">&lt;i&gt;</td><td>"
                + "<span class=\"outcome\">&lt;b&gt;</span></td><td></td><td>42</td>\n",
                new Html().add("<td title=\"{}\">{}</td>", "a \"b\" & 'c'", "<i>")
                        .add("<td>{}</td><td>{}</td><td>{}</td>\n", badge, null, 42).toString());
    }

    @Test
    void holesAndValuesMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> new Html().add("<td>{}</td>"));
        assertThrows(IllegalArgumentException.class, () -> new Html().add("<td>{}</td>", "a", "b"));
        assertEquals("body { margin: 0 }", new Html().add("body { margin: 0 }").toString());
    }
}
