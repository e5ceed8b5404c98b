package io.jenkins.plugins.k8sdeploy.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Analysis;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.MeasurementRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Point;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.ScoreRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    /** The body rows of the report's table of class {@code tableClass}, each as its cells' HTML less the tags. */
    private static List<List<String>> rows(String html, String tableClass) {
        int start = html.indexOf("<table class=\"" + tableClass + "\">");
        assertTrue(start >= 0, "no table " + tableClass);
        String table = html.substring(start, html.indexOf("</table>", start));
        Matcher tr = Pattern.compile("<tr>(.*?)</tr>").matcher(table.substring(table.indexOf("<tbody>")));
        List<List<String>> rows = new java.util.ArrayList<>();
        while (tr.find()) {
            Matcher td = Pattern.compile("<t[dh][^>]*>(.*?)</t[dh]>").matcher(tr.group(1));
            List<String> cells = new java.util.ArrayList<>();
            while (td.find()) {
                cells.add(td.group(1).replaceAll("<[^>]+>", ""));
            }
            rows.add(cells);
        }
        return rows;
    }

    private static String polyline(String html, String cssClass) {
        Matcher m = Pattern.compile("<polyline class=\"" + cssClass + "\"[^>]* points=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no polyline " + cssClass);
        return m.group(1);
    }

    @Test
    void promotedCanaryShowsItsSummaryChartApprovalAndTimeline() {
        String html = HtmlReport.render(ReportModel.of("web 1.5.0 to production", List.of(Fixtures.promoted())));

        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), html.substring(0, 40));
        assertTrue(html.contains("<title>web 1.5.0 to production</title>"));
        assertEquals(List.of(
                List.of("Cluster server", "https://10.0.0.1:6443"),
                List.of("Namespace", "shop"),
                List.of("App", "web"),
                List.of("Strategy", "canary"),
                List.of("Images", "registry.example/shop/web:1.4.2 &rarr; registry.example/shop/web:1.5.0"),
                List.of("Outcome", "SUCCEEDED"),
                List.of("Started", "2025-03-14T09:00:00Z"),
                List.of("Finished", "2025-03-14T09:15:00Z +900 s"),
                List.of("Duration", "15m 00s (900 s)"),
                List.of("API requests", "187"),
                List.of("Workloads", "Deployment/web: DONE (canary at 100%)")), rows(html, "summary"));

        // x = 60 + 900 * seconds / 900 (the rollout took 900 s); y = 220 - 2 * weight
        assertEquals("61,220 91,220 91,180 422,180 422,120 959,120 959,20 960,20", polyline(html, "weight"));
        assertTrue(html.contains("<text class=\"axis\" x=\"420\" y=\"238\" text-anchor=\"middle\">+6m</text>"
                + "<text class=\"axis clock\" x=\"420\" y=\"252\" text-anchor=\"middle\">09:06:00</text>"),
                "a time axis tick every 2 minutes, each with its clock time (UTC)");
        assertTrue(html.contains(">100%</text>") && html.contains(">0%</text>"), "the weight axis runs 0-100%");
        assertFalse(html.contains("class=\"axis right\""), "no second axis without extra series");
        // the pause (+31..+331 s) and the approval wait (+362..+720 s) as bands behind the line
        assertTrue(html.contains("<rect class=\"band-pause\" x=\"91\" y=\"20\" width=\"300\" height=\"200\">"
                + "<title>Paused at 20% for 5m 00s: Pausing 5m at 20%.</title></rect>"), "pause band");
        assertTrue(html.contains("<rect class=\"band-approval\" x=\"422\" y=\"20\" width=\"358\" height=\"200\">"
                + "<title>Waiting for approval (approved) for 5m 58s: Waiting for approval at 50%."), "approval band");
        assertFalse(html.contains("<line class=\"stop\""));

        assertEquals(List.of(
                List.of("0%", "2025-03-14T09:00:01Z", "+1 s", "2025-03-14T09:00:31Z", "+31 s", "30 s", "START"),
                List.of("20%", "2025-03-14T09:00:31Z", "+31 s", "2025-03-14T09:06:02Z", "+362 s", "5m 31s", "WEIGHT"),
                List.of("50%", "2025-03-14T09:06:02Z", "+362 s", "2025-03-14T09:14:59Z", "+899 s", "8m 57s", "WEIGHT"),
                List.of("100%", "2025-03-14T09:14:59Z", "+899 s", "2025-03-14T09:15:00Z", "+900 s", "1 s",
                        "PROMOTED")), rows(html, "weights"));

        assertEquals(List.of(List.of("2025-03-14T09:06:02Z", "+362 s", "50%", "approved", "2025-03-14T09:12:00Z",
                "+720 s", "5m 58s", "Waiting for approval at 50%. Promote: k8spd canary promote web -n shop (or"
                        + " canaryPromote); abort: k8spd canary abort web -n shop.",
                "Promoted past &#39;approval&#39; on request.")), rows(html, "approvals"));
        assertTrue(html.contains("<h3>Aborts and rollbacks</h3>\n<p class=\"none\">None.</p>"));
        assertFalse(html.contains("<pre class=\"failure\">"));

        List<List<String>> timeline = rows(html, "timeline");
        assertEquals(12, timeline.size());
        assertEquals(List.of("2025-03-14T09:00:00Z", "+0 s", "", "",
                "Connected to https://10.0.0.1:6443 (Kubernetes v1.32.2)."), timeline.get(0));
        assertEquals(List.of("2025-03-14T09:00:00.412Z", "+0.4 s", "", "",
                "Applied ConfigMap/web-config: configured."), timeline.get(1));
        assertEquals(List.of("2025-03-14T09:00:31Z", "+31 s", "WEIGHT", "20%",
                "Canary at 20%: 1 canary and 4 stable pods ready; 1 of 5 wanted."), timeline.get(4));
        assertEquals(List.of("2025-03-14T09:06:02Z", "+362 s", "APPROVAL_WAIT", "50%"),
                timeline.get(8).subList(0, 4));
        assertEquals(List.of("2025-03-14T09:14:59Z", "+899 s", "PROMOTED", "100%",
                "Promoted: Deployment/web runs registry.example/shop/web:1.5.0 on all pods; the canary was removed."),
                timeline.get(11));
    }

    @Test
    void abortedCanaryShowsTheReasonTheFailureAndTheWeightFallingBack() {
        DeployRecord record = Fixtures.aborted();
        String html = HtmlReport.render(ReportModel.of(record));

        // 160 s: x = 60 + 5.625 * seconds, one decimal
        assertEquals("65.6,220 290.6,220 290.6,180 808.1,180 808.1,220 960,220", polyline(html, "weight"));
        assertTrue(html.contains("<span class=\"outcome outcome-ABORTED\">ABORTED</span>"));
        assertTrue(html.contains("<pre class=\"failure\">" + record.failure() + "</pre>"));
        List<List<String>> stops = rows(html, "stops");
        assertEquals(List.of(List.of("2025-03-14T10:02:13Z", "+133 s", "abort", record.failure())), stops);
        assertTrue(html.contains("<p class=\"none\">No approval gate.</p>"));
        assertEquals(List.of("2025-03-14T10:02:13Z", "+133 s", "ABORT", "0%"), rows(html, "timeline").get(5)
                .subList(0, 4));
        assertTrue(html.contains(">+30s</text>") && html.contains(">+2m 30s</text>"), "ticks every 30 s");
        assertTrue(html.contains("<line class=\"stop\" x1=\"808.1\" y1=\"20\" x2=\"808.1\" y2=\"220\"><title>abort at"
                + " 2025-03-14T10:02:13Z +133 s: The canary cannot run: pod web-canary-6f7c9d8b5-kx2vq"), "abort line");
        assertTrue(html.contains("<rect class=\"band-pause\" x=\"290.6\" y=\"20\" width=\"517.5\""),
                "paused from +41 s until the abort at +133 s");
    }

    @Test
    void analysisSeriesGoOnTheSecondAxisAndMeasurementsAndScoresInTables() {
        Instant start = Instant.parse("2025-03-14T10:00:00Z");
        Series canary = new Series("error rate (canary)", "%", List.of(new Point(start.plusSeconds(40), 0.5),
                new Point(start.plusSeconds(80), 2.0), new Point(start.plusSeconds(120), 7.2)));
        Series stable = new Series("error rate (stable)", "%", List.of(new Point(start.plusSeconds(40), 0.4),
                new Point(start.plusSeconds(120), 0.6)));
        Analysis analysis = new Analysis("error-rate", "FAILED", "metric 'error-rate' failed 2 times",
                List.of(canary, stable),
                List.of(new MeasurementRow(start.plusSeconds(80), "error-rate",
                        "sum(rate(http_requests_total{track=\"canary\",code=~\"5..\"}[1m]))", "2", "FAILED")),
                List.of(new ScoreRow(start.plusSeconds(120), "judge", 12.5, "FAILED", "critical metric HIGH"),
                        new ScoreRow(start.plusSeconds(60), "judge", null, "RUNNING", "not enough data")));
        String html = HtmlReport.render(ReportModel.of(Fixtures.aborted()).withAnalysis(0, analysis));

        // right axis 0..10 (the round top above 7.2): y = 220 - 20 * value
        assertTrue(html.contains("<text class=\"axis right\" x=\"966\" y=\"24\">10</text>"), "top of the 2nd axis");
        assertTrue(html.contains("<text class=\"axis right\" x=\"966\" y=\"174\">2.5</text>"));
        assertTrue(html.contains("<text class=\"axis-title unit\" x=\"998\" y=\"11\" text-anchor=\"end\">%</text>"),
                "its unit");
        Matcher lines = Pattern.compile("<polyline class=\"series-line\"[^>]* points=\"([^\"]*)\"").matcher(html);
        assertTrue(lines.find());
        assertEquals("285,210 510,180 735,76", lines.group(1));
        assertTrue(lines.find());
        assertEquals("285,212 735,208", lines.group(1));
        assertEquals("65.6,220 290.6,220 290.6,180 808.1,180 808.1,220 960,220", polyline(html, "weight"),
                "the weight keeps its axis");
        assertTrue(html.contains("error rate (canary) (%) (right axis)"));

        assertEquals(List.of(List.of("2025-03-14T10:01:20Z", "+80 s", "error-rate",
                "sum(rate(http_requests_total{track=&quot;canary&quot;,code=~&quot;5..&quot;}[1m]))", "2", "FAILED")),
                rows(html, "measurements"));
        assertEquals(List.of(
                List.of("2025-03-14T10:01:00Z", "+60 s", "judge", "\u2013", "RUNNING", "not enough data"),
                List.of("2025-03-14T10:02:00Z", "+120 s", "judge", "12.5", "FAILED", "critical metric HIGH")),
                rows(html, "scores"));
        assertTrue(html.contains("<h4>error-rate <span class=\"outcome outcome-FAILED\">FAILED</span></h4>"));
    }

    @Test
    void severalRecordsGetAnOverviewAndOneSectionEach() {
        String html = HtmlReport.render(ReportModel.of("Tuesday", List.of(Fixtures.promoted(), Fixtures.aborted())));
        assertEquals(List.of(
                List.of("1", "web", "canary", "SUCCEEDED", "2025-03-14T09:00:00Z", "15m 00s"),
                List.of("2", "web", "canary", "ABORTED", "2025-03-14T10:00:00Z", "2m 40s")), rows(html, "overview"));
        assertTrue(html.contains("<section class=\"rollout\" id=\"rollout-1\">"));
        assertTrue(html.contains("<section class=\"rollout\" id=\"rollout-2\">"));
        assertEquals(2, html.split("<svg ", -1).length - 1);
    }

    @Test
    void rollingDeployHasNoChartButEverythingElse() {
        DeployRecord rolling = new DeployRecord("https://k8s.example:6443", DeployRecord.Outcome.SUCCEEDED,
                Instant.parse("2025-03-14T11:00:00Z"), Instant.parse("2025-03-14T11:00:42Z"), 42_000, 31, List.of(),
                List.of(), List.of(), List.of(), null);
        String html = HtmlReport.render(ReportModel.of(rolling));
        assertFalse(html.contains("<svg"));
        assertTrue(html.contains("No traffic weights"));
        assertTrue(html.contains("<p class=\"none\">Nothing was logged.</p>"));
        assertTrue(html.contains("42 s <span class=\"rel\">(42 s)</span>"));
    }

    @Test
    void theDocumentNeedsNothingFromOutside() {
        String html = HtmlReport.render(ReportModel.of("r", List.of(Fixtures.promoted(), Fixtures.aborted())));
        String lower = html.toLowerCase(Locale.ROOT);
        for (String outside : List.of("<script", "<link", "<img", "<iframe", "<object", "@import", "url(", "src=",
                "href=\"http", "@font-face")) {
            assertFalse(lower.contains(outside), outside);
        }
        assertTrue(lower.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""));
        assertTrue(html.contains("@media print {"));
        for (Fixtures.Tag t : Fixtures.tags(html)) {
            assertFalse(t.name().equals("?"), "a stray '<': " + t.text());
            if (t.name().equals("a")) {
                assertTrue(t.text().matches("<a href=\"#rollout-\\d+\">"), t.text());
            }
        }
    }

    @Test
    void formatsTimesDurationsAndNumbers() {
        assertEquals("0.4 s", Formats.duration(Duration.ofMillis(412)));
        assertEquals("59 s", Formats.duration(Duration.ofSeconds(59)));
        assertEquals("5m 31s", Formats.duration(Duration.ofSeconds(331)));
        assertEquals("1h 02m 03s", Formats.duration(Duration.ofSeconds(3723)));
        assertEquals("5m 31s", HtmlReport.duration(Duration.ofSeconds(331)), "as the Jenkins page writes it");
        assertEquals("0.01235", Formats.number(0.0123456));
        assertEquals("120", Formats.number(120));
        assertEquals("1235000", Formats.number(1234567));
        assertEquals("2025-03-14T09:00:00.412Z", Formats.iso(Instant.parse("2025-03-14T09:00:00.412Z")));
    }
}
