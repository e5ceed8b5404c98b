package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeReport;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.report.HtmlEscaper;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The per-rollout view the build page, the rollout's page and the REST API are made of, built from recorded rollouts:
 * what each shows, that analyses come with their measurements and judge scores, and that hostile record strings stay
 * text for the page to escape.
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
    void theSectionHasTheChartApprovalsAndTimeline() {
        ReportSection s = new RolloutView(3, RecordFixtures.promoted()).getSection();

        assertEquals("rollout-3", s.id());
        assertEquals("web", s.heading());
        assertEquals(new ReportSection.Badge("SUCCEEDED", "outcome outcome-SUCCEEDED"), s.outcome());
        // the weight over time: 0% until 09:00:31, 20% until 09:06:02, 50% until 09:14:59, then 100%
        assertNotNull(s.chart().weightPoints(), "the weight line");
        assertTrue(s.chart().weightDots().stream().anyMatch(d -> d.title().equals(
                "20% at 2025-03-14T09:00:31Z +31 s (WEIGHT)")), "a weight step");
        assertEquals(List.of("0%", "20%", "50%", "100%"), s.weights().stream().map(ReportSection.WeightRow::weight)
                .toList());
        ReportSection.ApprovalRow approval = s.approvals().get(0);
        assertEquals("approved", approval.outcome());
        assertEquals("approval-approved", approval.outcomeClass());
        assertTrue(approval.request().contains("Waiting for approval at 50%."), approval.request());
        assertTrue(s.timeline().stream().anyMatch(t -> t.message().startsWith(
                "Promoted: Deployment/web runs registry.example/shop/web:1.5.0 on all pods;")), "the timeline");
        assertEquals("15m 00s", s.summary().duration());
    }

    @Test
    void anAnalysisShowsItsMeasurementsTheOneThatDecidedAndItsSeries() {
        RolloutView v = new RolloutView(1, RecordFixtures.analysisFailed());
        ReportSection s = v.getSection();

        assertEquals("ABORTED", v.getOutcome());
        assertEquals("demo", v.getNamespace());
        assertEquals("web=registry.example/demo/web:2.0.0 \u2192 web=registry.example/demo/web:3.0.0", v.getVersion());
        ReportSection.AnalysisPart analysis = s.analyses().get(0);
        assertEquals("errors", analysis.name());
        assertEquals(new ReportSection.Badge("FAILED", "outcome outcome-FAILED"), analysis.verdict());
        List<ReportSection.Measurement> rows = analysis.measurements();
        assertEquals(3, rows.size(), rows.toString());
        assertEquals(new ReportSection.Measurement(new ReportSection.Time("2026-11-22T01:37:52.097271568Z", "+14.3 s"),
                "canary-error-rate", "100 * sum(rate(demo_http_requests_total{namespace=\"demo\",app=\"web\","
                        + "track=\"canary\",code=~\"5..\"}[10s])) / sum(rate(demo_http_requests_total"
                        + "{namespace=\"demo\",app=\"web\",track=\"canary\"}[10s]))",
                "20", "FAILED (decided the analysis)"), rows.get(2));
        assertEquals("0.9722", rows.get(1).value(), "the stable track's error rate");
        assertTrue(s.chart().series().stream().anyMatch(l -> l.title().equals("canary-error-rate")),
                "the metric as a series on the chart");
        assertTrue(s.timeline().stream().anyMatch(x -> x.message().contains(
                "Aborted: all traffic back to stable (canary scaled to 0, stable back to 10 pods).")),
                "the abort and its reason");
        assertEquals(List.of("START", "WEIGHT", "PAUSE", "RESUME", "ANALYSIS", "ANALYSIS", "ABORT"),
                v.getEvents().stream().map(e -> ((Map<?, ?>) e).get("type")).toList());
        Map<?, ?> map = (Map<?, ?>) v.getAnalyses().get(0);
        assertEquals("FAILED", map.get("status"));
        assertEquals(3, ((List<?>) map.get("measurements")).size());
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

        List<ReportSection.Score> scores = new RolloutView(1, withJudge).getSection().analyses().get(0).scores();

        assertEquals(List.of(new ReportSection.Score(new ReportSection.Time("2026-11-22T01:37:52.097271568Z",
                "+14.3 s"), "judge (round 2 of 3)", "12.5", "FAILED",
                "critical metric 'canary-error-rate' is HIGH: canary median 20 vs stable 0.97")), scores);
    }

    @Test
    void restApiMapsKeepNonFiniteNumbersAsStrings() {
        Object safe = RolloutView.jsonSafe(Map.of("values", List.of(Double.NaN, 1.5, Double.POSITIVE_INFINITY)));

        assertEquals(Map.of("values", List.of("NaN", 1.5, "Infinity")), safe);
    }

    /**
     * The section holds record strings as text, for the page to escape (RolloutsPageJenkinsTest loads the page in
     * Jenkins and finds no markup from them); what goes into a class attribute is a fixed word or letters only.
     */
    @Test
    void hostileRecordStringsStayTextAndNeverReachAClassName() {
        RolloutView v = new RolloutView(1, RecordFixtures.hostile());
        ReportSection s = v.getSection();

        assertEquals("Started " + RecordFixtures.SCRIPT, s.timeline().get(0).message());
        assertEquals("https://k8s.example:6443/" + RecordFixtures.IMG, s.summary().server());
        assertEquals("web" + RecordFixtures.SVG_BREAK, s.heading());
        assertEquals("outcome outcome-ABORTED", s.outcome().cssClass());
        assertEquals("outcome-ABORTED", v.getOutcomeClass());
        // an outcome is an enum: a record file with markup in it is refused before any view (RecordFiles leaves it
        // out); what a class name would keep of it is letters only
        String worse = RecordJson.toJson(RecordFixtures.hostile()).replace("\"ABORTED\"",
                "\"FAILED\\\"><script>alert(1)</script>\"");
        assertThrows(JsonProcessingException.class, () -> RecordJson.fromJson(worse));
        assertEquals("outcome-FAILEDscriptalert1script", "outcome-" + HtmlEscaper.token(
                "FAILED\"><script>alert(1)</script>"), "a class name keeps letters only");
        for (ReportSection.Key k : s.chart().keys()) {
            assertTrue(k.swatchClass().matches("[a-z0-9 -]+"), k.swatchClass());
        }
        for (ReportSection.ApprovalRow a : s.approvals()) {
            assertTrue(a.outcomeClass().matches("approval-[A-Za-z0-9_-]*"), a.outcomeClass());
        }
    }

    @Test
    void controlCharactersHtmlForbidsBecomeReplacementCharacters() {
        DeployRecord r = RecordFixtures.promoted();
        DeployRecord odd = new DeployRecord(r.server() + "\u0000\u001b[31m", r.outcome(), r.started(), r.finished(),
                r.durationMillis(), r.apiRequests(), r.objects(), r.workloads(), r.rollbacks(), r.timeline(),
                r.failure(), r.strategy(), r.app() + "\ud800", r.events(), r.analyses());

        ReportSection s = new RolloutView(1, odd).getSection();

        assertEquals("https://10.0.0.1:6443\ufffd\ufffd[31m", s.summary().server());
        assertEquals("web\ufffd", s.heading());
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
}
