package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeReport;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryAnalysis.Status;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The per-rollout view the build page, the rollout's page and the REST API are made of, built from recorded rollouts:
 * what each shows, that analyses come with their measurements and judge scores, and that hostile record strings stay
 * text in the HTML the page writes unescaped.
 */
class RolloutViewTest {

    @Test
    void summaryOfAPromotedCanaryIsWhatTheBuildPageRowShows() {
        RolloutView v = new RolloutView(1, RecordFixtures.promoted());

        assertEquals("https://10.0.0.1:6443", v.getServer());
        assertEquals("shop", v.getNamespace());
        assertEquals("web", v.getApp());
        assertEquals("canary", v.getStrategy());
        assertEquals("SUCCEEDED", v.getOutcome());
        assertEquals("registry.example/shop/web:1.4.2 \u2192 registry.example/shop/web:1.5.0", v.getVersion());
        assertEquals("15m 00s", v.getDuration());
        assertEquals("2025-03-14T09:00:00Z", v.getStarted());
        assertEquals("outcome-SUCCEEDED", v.getOutcomeClass());
        assertEquals("Rollout 1: web (canary)", v.getDisplayName());
        assertNull(v.getFailure());
    }

    @Test
    void reportHtmlHasTheChartApprovalTimelineAndNoDocumentAroundIt() {
        String html = new RolloutView(3, RecordFixtures.promoted()).getReportHtml();

        assertTrue(html.startsWith("<section class=\"rollout\" id=\"rollout-3\">"), html.substring(0, 60));
        assertTrue(html.endsWith("</section>\n"));
        for (String absent : List.of("<html", "<head", "<body", "<style", "<script", "<link", "<meta")) {
            assertFalse(html.contains(absent), "a fragment for a page that has its own document: " + absent);
        }
        // the weight over time: 0% until 09:00:31, 20% until 09:06:02, 50% until 09:14:59, then 100%
        assertTrue(html.contains("<polyline class=\"weight\""), "the weight chart");
        assertTrue(html.contains("<title>20% at 2025-03-14T09:00:31Z +31 s (WEIGHT)</title>"), "a weight step");
        assertTrue(html.contains("<span class=\"approval-approved\">approved</span>"), "the approval");
        assertTrue(html.contains("Waiting for approval at 50%."), "what the gate asked");
        assertTrue(html.contains("Promoted: Deployment/web runs registry.example/shop/web:1.5.0 on all pods;"),
                "the timeline");
    }

    @Test
    void anAnalysisShowsItsMeasurementsTheOneThatDecidedAndItsSeries() {
        RolloutView v = new RolloutView(1, RecordFixtures.analysisFailed());
        String html = v.getReportHtml();

        assertEquals("ABORTED", v.getOutcome());
        assertEquals("demo", v.getNamespace());
        assertEquals("web=registry.example/demo/web:2.0.0 \u2192 web=registry.example/demo/web:3.0.0", v.getVersion());
        assertTrue(html.contains("<h4>errors <span class=\"outcome outcome-FAILED\">FAILED</span></h4>"), "verdict");
        List<List<String>> rows = rows(html, "measurements");
        assertEquals(3, rows.size(), rows.toString());
        assertEquals(List.of("2026-11-22T01:37:52.097271568Z", "+14.3 s", "canary-error-rate",
                "100 * sum(rate(demo_http_requests_total{namespace=&quot;demo&quot;,app=&quot;web&quot;,"
                        + "track=&quot;canary&quot;,code=~&quot;5..&quot;}[10s])) / sum(rate(demo_http_requests_total"
                        + "{namespace=&quot;demo&quot;,app=&quot;web&quot;,track=&quot;canary&quot;}[10s]))",
                "20", "FAILED (decided the analysis)"), rows.get(2));
        assertEquals("0.9722", rows.get(1).get(4), "the stable track's error rate");
        assertTrue(html.contains("<title>canary-error-rate</title>"), "the metric as a series on the chart");
        assertTrue(html.contains("Aborted: all traffic back to stable (canary scaled to 0, stable back to 10 pods)."),
                "the abort and its reason");
        assertEquals(List.of("START", "WEIGHT", "PAUSE", "RESUME", "ANALYSIS", "ANALYSIS", "ABORT"),
                v.getEvents().stream().map(e -> ((Map<?, ?>) e).get("type")).toList());
        Map<?, ?> analysis = (Map<?, ?>) v.getAnalyses().get(0);
        assertEquals("FAILED", analysis.get("status"));
        assertEquals(3, ((List<?>) analysis.get("measurements")).size());
    }

    @Test
    void theJudgesScoreIsShownWithItsVerdictAndReason() {
        DeployRecord r = RecordFixtures.analysisFailed();
        AnalysisRecord a = r.analyses().get(0);
        JudgeReport judge = new JudgeReport(Status.FAILED, 12.5, 95, 75, 2, 3, List.of(),
                "critical metric 'canary-error-rate' is HIGH: canary median 20 vs stable 0.97");
        AnalysisRecord judged = new AnalysisRecord(a.name(), a.status(), a.message(), a.started(), a.finished(),
                a.metrics(), judge, a.measurements());
        DeployRecord withJudge = new DeployRecord(r.server(), r.outcome(), r.started(), r.finished(),
                r.durationMillis(), r.apiRequests(), r.objects(), r.workloads(), r.rollbacks(), r.timeline(),
                r.failure(), r.strategy(), r.app(), r.events(), List.of(judged));

        List<List<String>> scores = rows(new RolloutView(1, withJudge).getReportHtml(), "scores");

        assertEquals(List.of(List.of("2026-11-22T01:37:52.097271568Z", "+14.3 s", "judge (round 2 of 3)", "12.5",
                "FAILED", "critical metric &#39;canary-error-rate&#39; is HIGH: canary median 20 vs stable 0.97")),
                scores);
    }

    @Test
    void restApiMapsKeepNonFiniteNumbersAsStrings() {
        Object safe = RolloutView.jsonSafe(Map.of("values", List.of(Double.NaN, 1.5, Double.POSITIVE_INFINITY)));

        assertEquals(Map.of("values", List.of("NaN", 1.5, "Infinity")), safe);
    }

    @Test
    void hostileRecordStringsStayTextInTheReportHtml() {
        RolloutView v = new RolloutView(1, RecordFixtures.hostile());
        String html = v.getReportHtml();
        String lower = html.toLowerCase(Locale.ROOT);

        assertFalse(lower.contains("<script"), "no script element");
        assertFalse(lower.contains("<img"), "no img element");
        assertEquals(1, count(lower, "<svg"), "one chart");
        assertEquals(1, count(lower, "</svg>"), "closed once, by the renderer");
        assertTrue(html.contains("Started &lt;script&gt;alert(1)&lt;/script&gt;"), "the event message as text");
        assertTrue(html.contains("https://k8s.example:6443/&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"),
                "the server as text");
        for (String name : attributeNames(html)) {
            assertFalse(name.toLowerCase(Locale.ROOT).startsWith("on"), "an event handler attribute: " + name);
        }
        assertEquals("outcome-ABORTED", v.getOutcomeClass());
        assertEquals("outcome-FAILEDscriptalert1script", new RolloutView(1, withOutcome(RecordFixtures.hostile(),
                "FAILED\"><script>alert(1)</script>")).getOutcomeClass(), "a class name keeps letters only");
    }

    @Test
    void thePagesStylesheetOnlyStylesTheReport() throws Exception {
        Path css = Path.of(System.getProperty("k8spd.repo.root", "."), "src/main/webapp/css/rollout.css");
        String text = Files.readString(css).replaceAll("(?s)/\\*.*?\\*/", "");
        Matcher rule = Pattern.compile("([^{}]+)\\{[^{}]*\\}").matcher(text);
        int rules = 0;
        while (rule.find()) {
            rules++;
            for (String selector : rule.group(1).split(",")) {
                assertTrue(selector.strip().startsWith(".k8spd-report"),
                        "a rule that could restyle Jenkins itself: " + selector.strip());
            }
        }
        assertTrue(rules > 40, "the report's rules: " + rules);
    }

    static DeployRecord withOutcome(DeployRecord r, String outcome) {
        return new DeployRecord(r.server(), outcome, r.started(), r.finished(), r.durationMillis(), r.apiRequests(),
                r.objects(), r.workloads(), r.rollbacks(), r.timeline(), r.failure(), r.strategy(), r.app(),
                r.events(), r.analyses());
    }

    /** The body rows of the table of class {@code tableClass}, each as its cells' HTML less the tags. */
    static List<List<String>> rows(String html, String tableClass) {
        int start = html.indexOf("<table class=\"" + tableClass + "\">");
        assertTrue(start >= 0, "no table " + tableClass);
        String table = html.substring(start, html.indexOf("</table>", start));
        Matcher tr = Pattern.compile("<tr>(.*?)</tr>").matcher(table.substring(table.indexOf("<tbody>")));
        List<List<String>> rows = new ArrayList<>();
        while (tr.find()) {
            Matcher td = Pattern.compile("<t[dh][^>]*>(.*?)</t[dh]>").matcher(tr.group(1));
            List<String> cells = new ArrayList<>();
            while (td.find()) {
                cells.add(td.group(1).replaceAll("<[^>]+>", ""));
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The name of every attribute of every start tag (values, which may hold "onerror=" as text, left out). */
    private static List<String> attributeNames(String html) {
        Matcher tag = Pattern.compile("<[a-zA-Z][a-zA-Z0-9:-]*"
                + "((?:\\s+[^\\s\"'>/=]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'))?)*)\\s*/?>").matcher(html);
        Pattern attribute = Pattern.compile("([^\\s\"'>/=]+)(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'))?");
        List<String> names = new ArrayList<>();
        int tags = 0;
        while (tag.find()) {
            tags++;
            Matcher a = attribute.matcher(tag.group(1));
            while (a.find()) {
                names.add(a.group(1));
            }
        }
        assertTrue(tags > 100, "the report's tags: " + tags);
        return names;
    }

    private static int count(String s, String part) {
        return s.split(Pattern.quote(part), -1).length - 1;
    }
}
