package io.jenkins.plugins.k8sdeploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.cli.Main;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.MeasurementRow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorded demo run mapped onto the report model (the analyses through {@link AnalysisReports}), the demo's report
 * files, and {@code k8spd report}, which makes the same page from the records.
 */
class DemoReportTest {
    private static final Map<String, String> UNITS = Map.of("canary-error-rate", "%", "stable-error-rate", "%");

    @Test
    void theRecordedRunIsAPromotedV2AndAnAbortedV3() {
        DeployRecord v2 = DemoFixtures.v2();
        DeployRecord v3 = DemoFixtures.v3();
        assertEquals(DeployRecord.Outcome.SUCCEEDED, v2.outcome());
        assertTrue(v2.events().stream().anyMatch(e -> StrategyEvent.Type.APPROVED.equals(e.type())), "approved");
        assertTrue(v2.events().stream().anyMatch(e -> StrategyEvent.Type.PROMOTED.equals(e.type())), "promoted");
        assertEquals(Status.SUCCESSFUL, v2.analyses().get(0).status());
        assertEquals(DeployRecord.Outcome.ABORTED, v3.outcome());
        assertEquals(Status.FAILED, v3.analyses().get(0).status());
        assertTrue(v3.failure().startsWith("Analysis 'errors' failed: metric 'canary-error-rate' failed 2 times"),
                v3.failure());
    }

    @Test
    void eachMetricIsASeriesOverTimeInItsUnit() {
        ReportModel.Rollout r = AnalysisReports.rollout(DemoFixtures.v2(), UNITS);
        List<ReportModel.Series> series = r.series();
        assertEquals(List.of("canary-error-rate", "stable-error-rate"), series.stream().map(ReportModel.Series::name)
                .toList());
        assertEquals(List.of("%", "%"), series.stream().map(ReportModel.Series::unit).toList());
        // v2: 5 measurements of the canary, each around 1% (v2's error-rate annotation is 0.01)
        assertEquals(5, series.get(0).points().size());
        series.get(0).points().forEach(p -> assertTrue(p.value() > 0.3 && p.value() < 2, "about 1%: " + p));
        assertEquals("SUCCESSFUL", r.analyses().get(0).verdict());
        assertTrue(r.analyses().get(0).message().contains("Metric 'canary-error-rate': SUCCESSFUL, 5 measured of 5"),
                r.analyses().get(0).message());
    }

    @Test
    void theMeasurementThatDecidedTheAbortIsMarkedAndShowsItsQuery() {
        DeployRecord v3 = DemoFixtures.v3();
        MeasurementRecord deciding = DemoFixtures.deciding(v3);
        assertNotNull(deciding);
        assertEquals("canary-error-rate", deciding.metric());
        assertEquals(Status.FAILED, deciding.phase());
        assertTrue(deciding.values().get(0) >= 5, "20% errors measured as at least 5%: " + deciding.values());

        List<MeasurementRow> rows = AnalysisReports.rollout(v3, UNITS).measurements();
        List<MeasurementRow> marked = rows.stream().filter(m -> m.verdict().endsWith(AnalysisReports.DECIDING))
                .toList();
        assertEquals(1, marked.size(), rows.toString());
        assertEquals(deciding.at(), marked.get(0).at());
        assertEquals(deciding.query(), marked.get(0).query(), "the deciding row shows its query in full");
        assertEquals(AnalysisReports.number(deciding.values().get(0)), marked.get(0).value());
        // the first canary row shows the query; none is "(same query)" before it
        MeasurementRow first = rows.stream().filter(m -> m.metric().equals("canary-error-rate")).findFirst()
                .orElseThrow();
        assertTrue(first.query().startsWith("100 * sum(rate(demo_http_requests_total{namespace=\"demo\""),
                first.query());
    }

    @Test
    void repeatedQueriesAreShortenedAndAPassedAnalysisHasNoDecidingRow() {
        List<MeasurementRow> rows = AnalysisReports.rollout(DemoFixtures.v2(), UNITS).measurements();
        assertEquals(10, rows.size(), "5 canary and 5 stable measurements");
        assertEquals(2, rows.stream().filter(m -> !m.query().equals(AnalysisReports.SAME_QUERY)).count(),
                "each metric's query once: " + rows);
        assertTrue(rows.stream().noneMatch(m -> m.verdict().contains(AnalysisReports.DECIDING)));
        assertNull(AnalysisReports.deciding(DemoFixtures.v2().analyses().get(0),
                DemoFixtures.v2().analyses().get(0).measurements()));
    }

    @Test
    void eventsAndTheLinesThatLoggedThemAreOneTimelineRow() {
        DeployRecord v2 = DemoFixtures.v2();
        // the engine takes an event's time and its log line's time one after the other: they differ a little
        long apart = v2.timeline().stream().filter(t -> v2.events().stream()
                .anyMatch(e -> e.detail().equals(t.message()) && !e.at().equals(t.at()))).count();
        assertTrue(apart > 0, "the recorded run has events whose lines were logged a moment later");

        List<ReportModel.TimelineRow> rows = AnalysisReports.rollout(v2, UNITS).timeline();
        for (StrategyEvent e : v2.events()) {
            long same = rows.stream().filter(t -> e.detail().equals(t.message())).count();
            assertEquals(1, same, "one row for: " + e.detail());
            assertEquals(e.type().name(), rows.stream().filter(t -> e.detail().equals(t.message())).findFirst()
                    .orElseThrow().type());
        }
        assertEquals(v2.timeline().size(), rows.size(), "no row added: each event matched its line");
    }

    @Test
    void theDemoWritesOneReportAndTheRecordsBesideIt(@TempDir Path dir) throws Exception {
        Instant now = Instant.parse("2025-03-14T10:00:00Z");
        List<DemoReport.Named> records = List.of(new DemoReport.Named("v2-canary", DemoFixtures.v2()),
                new DemoReport.Named("v3-canary", DemoFixtures.v3()));
        Path html = DemoReport.write(dir, "demo", now, records, UNITS);
        assertEquals(dir.resolve("20250314-100000").resolve("report.html"), html);
        assertTrue(Files.exists(html.resolveSibling("v2-canary.json")));
        assertTrue(Files.exists(html.resolveSibling("v3-canary.json")));
        Path again = DemoReport.write(dir, "demo", now, records, UNITS);
        assertEquals(dir.resolve("20250314-100000-2").resolve("report.html"), again, "a second run in the same second");

        // k8spd report makes the same page from the records the demo wrote
        Path fromCli = dir.resolve("from-cli.html");
        assertEquals(0, Main.run("report", "--unit", "%", "--title", DemoReport.title("demo", now),
                html.resolveSibling("v2-canary.json").toString(), html.resolveSibling("v3-canary.json").toString(),
                "-o", fromCli.toString()));
        assertEquals(Files.readString(html), Files.readString(fromCli));
        String page = Files.readString(html);
        assertTrue(page.contains("<h1>k8spd demo: web in namespace demo, 14 Mar 2025 10:00 UTC</h1>"), page.substring(0,
                600));
        for (String external : List.of("<script", "<link", "src=", "url(", "@import")) {
            assertTrue(!page.contains(external), "self-contained, nothing loaded from elsewhere: " + external);
        }
    }

    @Test
    void reportWithoutOutputWritesToStandardOutputAndBadRecordsFail(@TempDir Path dir) throws Exception {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run("report", DemoFixtures.path("v3-canary.json").toString()));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("<!DOCTYPE html>"));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("<h1>Rollouts of web</h1>"));

            Path bad = dir.resolve("bad.json");
            Files.writeString(bad, "{\"outcome\": [1, 2");
            assertEquals(1, Main.run("report", bad.toString()));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("k8spd: The record " + bad
                    + " is not a rollout record (JSON from --record)"), err.toString(StandardCharsets.UTF_8));
            assertEquals(1, Main.run("report", dir.resolve("missing.json").toString()));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not exist"));
            assertEquals(2, Main.run("report"), "no record is a usage error");
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
