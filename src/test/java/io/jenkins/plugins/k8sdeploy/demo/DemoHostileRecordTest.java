package io.jenkins.plugins.k8sdeploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.cli.Main;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded demo run with markup where a cluster, a user or a metrics backend could put text: an event message (and
 * the timeline line that logged it), a measurement's query and value message, a metric's name (which names a chart
 * series) and the analysis's message. The demo report must show all of it as text: nothing a browser runs or loads.
 */
class DemoHostileRecordTest {
    static final String EVENT = "Canary at 20%: <script>alert('event')</script>";
    static final String QUERY = "sum(rate(x{a=\"</code><img src=x onerror=alert('query')>\"}[1m]))";
    static final String METRIC = "canary-error-rate\"><svg onload=alert('metric')>";
    static final String MESSAGE = "failed: <iframe src=javascript:alert('message')></iframe> & more";

    /** v3 of the recorded run with the payloads put in. */
    static DeployRecord hostile() {
        DeployRecord r = DemoFixtures.v3();
        List<StrategyEvent> events = new ArrayList<>();
        List<TimelineEntry> timeline = new ArrayList<>(r.timeline());
        for (StrategyEvent e : r.events()) {
            if (StrategyEvent.Type.WEIGHT.equals(e.type()) && Integer.valueOf(20).equals(e.weight())) {
                for (int i = 0; i < timeline.size(); i++) {
                    if (timeline.get(i).message().equals(e.detail())) {
                        timeline.set(i, new TimelineEntry(timeline.get(i).at(), EVENT));
                    }
                }
                e = new StrategyEvent(e.at(), e.type(), e.weight(), EVENT);
            }
            events.add(e);
        }
        List<AnalysisRecord> analyses = new ArrayList<>();
        for (AnalysisRecord a : r.analyses()) {
            List<MeasurementRecord> ms = a.measurements().stream().map(m -> m.metric().equals("canary-error-rate")
                    ? new MeasurementRecord(m.at(), METRIC, QUERY, m.values(), m.valueCount(), m.phase(), MESSAGE)
                    : m).toList();
            List<AnalysisRecord.Metric> metrics = a.metrics().stream().map(m -> m.name().equals("canary-error-rate")
                    ? new AnalysisRecord.Metric(METRIC, m.provider(), QUERY, m.status(), m.count(), m.measured(),
                            m.successful(), m.failed(), m.inconclusive(), m.errors(), m.consecutiveErrors(), MESSAGE)
                    : m).toList();
            analyses.add(new AnalysisRecord(a.name(), a.status(), MESSAGE, a.started(), a.finished(), metrics,
                    a.judge(), ms));
        }
        return new DeployRecord(r.server(), r.outcome(), r.started(), r.finished(), r.durationMillis(),
                r.apiRequests(), r.objects(), r.workloads(), r.rollbacks(), timeline, MESSAGE, r.strategy(), r.app(),
                events, analyses);
    }

    @Test
    void markupInTheRecordIsTextInTheHtml(@TempDir Path dir) throws Exception {
        String html = render(dir);
        for (String raw : List.of("<script", "<img", "<iframe", "<svg onload", "<b>")) {
            assertFalse(html.contains(raw), "raw markup in the report: " + raw);
        }
        assertTrue(html.contains("Canary at 20%: &lt;script&gt;alert(&#39;event&#39;)&lt;/script&gt;"), "event");
        assertTrue(html.contains("&lt;/code&gt;&lt;img src=x onerror=alert(&#39;query&#39;)&gt;"), "query");
        assertTrue(html.contains("canary-error-rate&quot;&gt;&lt;svg onload=alert(&#39;metric&#39;)&gt;"), "metric");
        assertTrue(html.contains("&lt;iframe src=javascript:alert(&#39;message&#39;)&gt;&lt;/iframe&gt; &amp; more"),
                "message");
        assertEquals(1, count(html, "<svg "), "the chart is the only svg element");
    }

    @Test
    @Tag("browser")
    void theBrowserParsesNoElementFromTheRecord(@TempDir Path dir) throws Exception {
        render(dir);
        String dom = Chromium.run(dir.resolve("report.html"), "--window-size=1366,900", "--dump-dom");
        assertTrue(dom.contains("Canary at 20%: &lt;script&gt;alert('event')&lt;/script&gt;"), "event as text");
        assertTrue(dom.contains("onerror=alert('query')&gt;"), "query as text");
        for (Chromium.Tag t : Chromium.tags(dom)) {
            assertFalse(List.of("script", "img", "iframe", "?").contains(t.name()), "an element from the record: "
                    + t.text());
            assertTrue(t.attributes().stream().noneMatch(a -> a.startsWith("on")), "an event handler: " + t.text());
        }
        assertEquals(1, count(dom, "<svg "), "only the chart's svg");
    }

    private static String render(Path dir) throws Exception {
        Path record = dir.resolve("hostile.json");
        Files.writeString(record, RecordJson.toJson(hostile()), StandardCharsets.UTF_8);
        Path html = dir.resolve("report.html");
        assertEquals(0, Main.run("report", "--unit", "%", "--title", "<b>title</b>", record.toString(), "-o",
                html.toString()));
        String text = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(text.contains("<h1>&lt;b&gt;title&lt;/b&gt;</h1>"), "the title as text");
        return text;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
