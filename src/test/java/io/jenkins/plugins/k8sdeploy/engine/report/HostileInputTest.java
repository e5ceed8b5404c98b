package io.jenkins.plugins.k8sdeploy.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.WorkloadResult;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Analysis;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.MeasurementRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Point;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.ScoreRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Series;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Event messages come from the cluster (pod names, kubelet reasons, annotations anyone with edit rights can write):
 * every string of a record is hostile input and must come out as text, in HTML, in attributes and in SVG.
 */
class HostileInputTest {
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String IMG = "\"><img src=x onerror=alert(1)>";
    static final String SVG_BREAK = "</svg><script>alert(2)</script>";
    static final String QUOTE = "' onmouseover='alert(3)";
    private static final Instant T0 = Instant.parse("2025-03-14T12:00:00Z");

    /** A canary whose every string field carries a payload; shared with the browser test. */
    static ReportModel hostileModel() {
        String app = "web" + SVG_BREAK;
        String failure = "The canary cannot run: pod " + IMG + " is in CrashLoopBackOff: " + SCRIPT
                + " \u001b[31mred\u001b[0m \u0000";
        List<StrategyEvent> events = List.of(
                new StrategyEvent(T0.plusSeconds(1), StrategyEvent.Type.START, 0, "Started " + SCRIPT),
                new StrategyEvent(T0.plusSeconds(20), StrategyEvent.Type.WEIGHT, 25, "annotation " + IMG),
                new StrategyEvent(T0.plusSeconds(30), StrategyEvent.Type.APPROVAL_WAIT, 25, "approve " + QUOTE),
                new StrategyEvent(T0.plusSeconds(50), StrategyEvent.Type.ABORT, 0, "Aborted: all traffic back to"
                        + " stable. Reason: " + failure));
        List<TimelineEntry> timeline = events.stream().map(e -> new TimelineEntry(e.at(), e.detail())).toList();
        DeployRecord record = new DeployRecord("https://k8s.example:6443/" + IMG, DeployRecord.Outcome.ABORTED, T0,
                T0.plusSeconds(60), 60_000, 12, List.of(),
                List.of(new WorkloadResult("Deployment", app, "shop" + SCRIPT, 0, 0, List.of("web:1" + IMG),
                        List.of("web:2" + SVG_BREAK), "FAILED", failure)),
                List.of(failure, "rolled back " + QUOTE), timeline, failure, DeployRecord.Strategy.CANARY, app, events);
        Analysis analysis = new Analysis("errors" + SVG_BREAK, "FAILED" + IMG, "message " + SCRIPT,
                List.of(new Series("rate " + SVG_BREAK, "%" + IMG, List.of(new Point(T0.plusSeconds(10), 1),
                        new Point(T0.plusSeconds(40), 3)))),
                List.of(new MeasurementRow(T0.plusSeconds(40), "errors" + QUOTE, "sum(x{a=\"" + IMG + "\"})",
                        "3" + SCRIPT, "FAILED" + SVG_BREAK)),
                List.of(new ScoreRow(T0.plusSeconds(45), "judge" + SCRIPT, 0.0, "FAILED", "why " + IMG)));
        return ReportModel.of(app + " " + SCRIPT, List.of(record)).withAnalysis(0, analysis);
    }

    @Test
    void noPayloadBecomesMarkup() {
        String html = HtmlReport.render(hostileModel());
        String lower = html.toLowerCase(Locale.ROOT);

        assertFalse(lower.contains("<script"), "no script element");
        assertFalse(lower.contains("<img"), "no img element");
        assertEquals(1, lower.split("<svg", -1).length - 1, "one SVG");
        assertEquals(1, lower.split("</svg>", -1).length - 1, "closed once, by us");
        assertFalse(html.contains("\u0000") || html.contains("\u001b"), "control characters replaced");
        assertTrue(html.contains("\uFFFD[31mred\uFFFD[0m \uFFFD"));

        Set<String> ours = Set.of("html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4",
                "p", "section", "span", "table", "thead", "tbody", "tr", "th", "td", "code", "ul", "li", "pre",
                "figure", "figcaption", "svg", "line", "text", "g", "polyline", "circle", "rect");
        for (Fixtures.Tag t : Fixtures.tags(html)) {
            assertTrue(ours.contains(t.name()), "an element the renderer does not write: " + t.text());
            for (String a : t.attributes()) {
                assertFalse(a.startsWith("on"), "an event handler attribute: " + t.text());
                assertFalse(a.equals("src") || a.equals("href") && !t.name().equals("a"), t.text());
            }
        }

        // the payloads are there, as text
        String script = "&lt;script&gt;alert(1)&lt;/script&gt;";
        String img = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";
        String svg = "&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;";
        assertTrue(html.contains("<td class=\"msg\">Started " + script + "</td>"), "event message in the timeline");
        assertTrue(html.contains("<td class=\"msg\">annotation " + img + "</td>"));
        assertTrue(html.contains("<title>web" + svg + " " + script + "</title>"), "title element");
        assertTrue(html.contains("<h1>web" + svg + " " + script + "</h1>"));
        assertTrue(html.contains("<h2>web" + svg + " <span"), "app name in the heading");
        assertTrue(html.contains("aria-label=\"Canary weight over time for web" + svg + "\""), "app in an attribute");
        assertTrue(html.contains("<title>Canary weight over time: web" + svg + "</title>"), "app in SVG text");
        assertTrue(html.contains("<title>rate " + svg + " (%" + img + ")</title>"), "series name in SVG text");
        assertTrue(html.contains("text-anchor=\"end\">%" + img + "</text>"), "unit in SVG text");
        assertTrue(html.contains("<title>Waiting for approval (refused) for 20 s: approve &#39; onmouseover=&#39;"
                + "alert(3)</title>"), "approval band's SVG title");
        assertTrue(html.contains("<pre class=\"failure\">The canary cannot run: pod " + img
                + " is in CrashLoopBackOff: " + script), "failure text");
        assertTrue(html.contains("title=\"Aborted: all traffic back to stable. Reason: The canary cannot run: pod "
                + img), "abort detail in an attribute");
        assertTrue(html.contains("<td>rollback</td><td class=\"msg\" title=\"rolled back &#39; onmouseover=&#39;"
                + "alert(3)\">"), "single quotes escaped too");
        assertTrue(html.contains("<code>sum(x{a=&quot;" + img + "&quot;})</code>"), "query");
        // the outcome and the strategy are enums, not strings a record can carry a payload in (a record file with
        // one is refused: RecordJsonTest); the outcome's class name would still keep only letters and digits
        assertTrue(html.contains("<span class=\"outcome outcome-ABORTED\">ABORTED</span>"), "outcome");
        assertEquals("outcome-ABORTEDscriptalert1script", "outcome-" + HtmlEscaper.token("ABORTED" + SCRIPT),
                "outcome as a class name keeps only letters and digits");
    }

    @Test
    void escaperCoversEveryContextCharacter() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
                HtmlEscaper.escape("<a href=\"x\" title='y'>&amp;</a>"));
        assertEquals("", HtmlEscaper.escape(null));
        String plain = "pod web-7d9f8b6c4-x2x9q: Back-off 40s";
        assertTrue(plain == HtmlEscaper.escape(plain), "nothing to escape: the same string");
        assertEquals("tab\tnew line\n\uFFFD\uFFFD\uFFFD", HtmlEscaper.escape("tab\tnew line\n\u0007\u007f\u0085"));
        assertEquals("emoji \uD83D\uDE80 lone \uFFFD\uFFFD", HtmlEscaper.escape("emoji \uD83D\uDE80 lone \uDE80\uD83D"),
                "a surrogate pair stays; lone halves do not");
        assertEquals("outcome-ok-1_2onclickx", "outcome-" + HtmlEscaper.token("ok-1_2\" onclick=x"));
    }
}
