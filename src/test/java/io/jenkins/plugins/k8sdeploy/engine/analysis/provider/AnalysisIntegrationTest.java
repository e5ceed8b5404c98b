package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jenkins.plugins.k8sdeploy.engine.analysis.Analyses;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Verdict;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRun;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import io.jenkins.plugins.k8sdeploy.testbed.MetricsServer;
import io.jenkins.plugins.k8sdeploy.testbed.PrometheusFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Analyses as a canary runs them, from the YAML configuration to the verdict, against Debian's Prometheus scraping a
 * {@link MetricsServer} every second whose error rates and latencies each test chooses (one pair of tracks per test,
 * so the tests do not disturb each other). Time is real: the run is polled when it says ({@code next()}).
 */
class AnalysisIntegrationTest {
    /** The error rate of the canary over stable's, from the counters: 1 when they are equal. */
    private static final String RELATIVE_ERRORS = "(sum(rate(app_requests_total{track=\"${canaryService}\",code=\"500\"}"
            + "[10s])) / sum(rate(app_requests_total{track=\"${canaryService}\"}[10s])))"
            + " / (sum(rate(app_requests_total{track=\"${stableService}\",code=\"500\"}[10s]))"
            + " / sum(rate(app_requests_total{track=\"${stableService}\"}[10s])))";
    private static final String CONFIG = """
            providers:
              prom: {type: prometheus, address: "%s", timeout: 5s}
            analyses:
              error-rate:
                metrics:
                - name: errors
                  provider: prom
                  query: '%s'
                  successCondition: result < 1.5
                  interval: 1s
                  count: 3
              error-budget:
                metrics:
                - name: errors
                  provider: prom
                  query: sum(rate(app_requests_total{track="${canaryService}",code="500"}[10s])) / sum(rate(app_requests_total{track="${canaryService}"}[10s]))
                  successCondition: result < 0.03
                  interval: 1s
                  count: 10
                  failureLimit: 2
              gauge:
                metrics:
                - {name: errors, provider: prom, query: 'app_error_ratio{track="${canaryService}"}', successCondition: result < 0.03, interval: 1s, count: 20, consecutiveErrorLimit: 2}
              no-data:
                metrics:
                - {name: errors, provider: prom, query: 'app_error_ratio{track="${canaryService}"}', successCondition: result < 0.03, interval: 1s, count: 2, onNoData: inconclusive}
              no-data-default:
                metrics:
                - {name: errors, provider: prom, query: 'app_error_ratio{track="${canaryService}"}', successCondition: result < 0.03, interval: 1s, count: 2, consecutiveErrorLimit: 1}
              broken-query:
                metrics:
                - {name: errors, provider: prom, query: 'sum(rate(app_requests_total{track="${canaryService}"}[10s])', successCondition: result < 0.03, consecutiveErrorLimit: 0}
              latency:
                judge:
                  interval: 2s
                  rounds: 3
                  minPoints: 20
                  metrics:
                  - {name: latency, provider: prom, query: 'app_latency_seconds{track="${service}"}[1m]', direction: increase, tolerance: 0.25, critical: true}
            """;

    private static MetricsServer metrics;
    private static PrometheusFixture prometheus;
    private static Analyses analyses;

    @BeforeAll
    static void start() throws Exception {
        metrics = new MetricsServer()
                .set("stable-a", 0.01, 0.1).set("canary-a", 0.01, 0.1)
                .set("stable-b", 0.01, 0.1).set("canary-b", 0.05, 0.1)
                .set("canary-c", 0.05, 0.1)
                .set("stable-g", 0.01, 0.1).set("canary-g-same", 0.01, 0.1).set("canary-g-slow", 0.01, 0.15);
        prometheus = PrometheusFixture.start(metrics.target());
        analyses = analyses(prometheus);
        prometheus.awaitScrapes(5);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private static Analyses analyses(PrometheusFixture p) throws Exception {
        return AnalysisConfig.parse(CONFIG.formatted(p.url(), RELATIVE_ERRORS), "test").build(c -> {
            throw new AssertionError("no credentials are named");
        });
    }

    private static CanaryServices services(String stable, String canary) {
        return new CanaryServices("shop", stable, canary, Map.of("app", "web"), Map.of("app", "web"));
    }

    /** Polls the run when it asks, in real time, until it is no longer RUNNING; {@code after} sees each poll. */
    private static Verdict drive(AnalysisRun run, Consumer<Verdict> after) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        Verdict v = run.poll(Instant.now());
        after.accept(v);
        while (v.status() == Status.RUNNING) {
            if (Instant.now().isAfter(deadline)) {
                fail("still running after 60 s: " + v.message());
            }
            Thread.sleep(run.next().toMillis());
            v = run.poll(Instant.now());
            after.accept(v);
        }
        return v;
    }

    private static Verdict drive(AnalysisRun run) throws InterruptedException {
        return drive(run, v -> {});
    }

    private static AnalysisRun start(Analyses a, String analysis, String stable, String canary) throws Exception {
        return (AnalysisRun) a.start(analysis, services(stable, canary), Instant.now());
    }

    @Test
    void aHealthyCanaryPasses() throws Exception {
        AnalysisRun run = start(analyses, "error-rate", "stable-a", "canary-a");
        Verdict v = drive(run);
        assertEquals(Status.SUCCESSFUL, v.status(), v.message());
        assertEquals("metric 'errors' passed (3 of 3 measured: 3 successful, 0 failed, 0 inconclusive, 0 errors)",
                v.message());
        for (MeasurementRecord m : run.measurements()) {
            assertEquals(1.0, m.values().get(0), 1e-6, "canary's error rate over stable's: " + m);
            assertTrue(m.query().contains("track=\"canary-a\"") && m.query().contains("track=\"stable-a\""),
                    m.query());
        }
    }

    @Test
    void aCanaryWithFiveTimesTheErrorsFailsAndSaysWhichMeasurementDecided() throws Exception {
        AnalysisRun run = start(analyses, "error-rate", "stable-b", "canary-b");
        Verdict v = drive(run);
        assertEquals(Status.FAILED, v.status(), v.message());
        assertTrue(v.message().startsWith("metric 'errors' failed once, more than failureLimit 0 (1 of 3 measured: 0"
                + " successful, 1 failed, 0 inconclusive, 0 errors); last: query '"), v.message());
        MeasurementRecord decided = run.measurements().get(run.measurements().size() - 1);
        assertEquals("errors", decided.metric());
        assertEquals(RELATIVE_ERRORS.replace("${canaryService}", "canary-b").replace("${stableService}", "stable-b"),
                decided.query());
        assertEquals(5.0, decided.values().get(0), 1e-6);
        assertEquals(Status.FAILED, decided.phase());
        assertTrue(decided.message().endsWith("; successCondition 'result < 1.5' is false"), decided.message());
        assertEquals(Status.FAILED, run.record().status());
    }

    @Test
    void failureLimitTwoToleratesTwoFailuresAndFailsOnTheThird() throws Exception {
        AnalysisRun run = start(analyses, "error-budget", "stable-c", "canary-c");
        List<Status> seen = new ArrayList<>();
        Verdict v = drive(run, x -> seen.add(x.status()));
        assertEquals(List.of(Status.RUNNING, Status.RUNNING, Status.FAILED), seen);
        assertEquals(List.of(Status.FAILED, Status.FAILED, Status.FAILED),
                run.measurements().stream().map(MeasurementRecord::phase).toList());
        run.measurements().forEach(m -> assertEquals(0.05, m.values().get(0), 1e-6));
        assertTrue(v.message().startsWith("metric 'errors' failed 3 times, more than failureLimit 2 (3 of 10"
                + " measured: 0 successful, 3 failed, 0 inconclusive, 0 errors)"), v.message());
    }

    @Test
    void anEmptyResultIsTheNamedVerdictWithItsReason() throws Exception {
        AnalysisRun inconclusive = start(analyses, "no-data", "stable-a", "nowhere");
        Verdict v = drive(inconclusive);
        assertEquals(Status.INCONCLUSIVE, v.status());
        assertTrue(v.message().startsWith("metric 'errors' was inconclusive once, more than inconclusiveLimit 0"),
                v.message());
        assertTrue(v.message().endsWith(" returned no series (onNoData INCONCLUSIVE)"), v.message());

        AnalysisRun error = start(analyses, "no-data-default", "stable-a", "nowhere");
        Verdict e = drive(error);
        assertEquals(Status.ERROR, e.status());
        assertTrue(e.message().startsWith("metric 'errors' could not be measured 2 times in a row, more than"
                + " consecutiveErrorLimit 1"), e.message());
        assertTrue(e.message().endsWith("query 'app_error_ratio{track=\"nowhere\"}' at "
                + e.message().substring(e.message().lastIndexOf(" at ") + 4, e.message().lastIndexOf(" returned"))
                + " returned no series"), e.message());
    }

    @Test
    void aQueryPrometheusRefusesIsAnErrorWithPrometheusWords() throws Exception {
        Verdict v = drive(start(analyses, "broken-query", "stable-a", "canary-a"));
        assertEquals(Status.ERROR, v.status());
        assertTrue(v.message().contains(" failed: Prometheus at " + prometheus.url() + " answered HTTP 400: query"
                + " error (bad_data): "), v.message());
        assertTrue(v.message().contains("parse error"), v.message());
    }

    @Test
    void prometheusGoingDownMidAnalysisErrsAfterTheConsecutiveErrorLimit() throws Exception {
        try (PrometheusFixture doomed = PrometheusFixture.start(metrics.target())) {
            doomed.awaitScrapes(1);
            AnalysisRun run = start(analyses(doomed), "gauge", "stable-a", "canary-a");
            int[] polls = {0};
            Verdict v = drive(run, x -> {
                if (++polls[0] == 2) {
                    try {
                        doomed.stop();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            assertEquals(Status.ERROR, v.status());
            assertEquals(List.of(Status.SUCCESSFUL, Status.SUCCESSFUL, Status.ERROR, Status.ERROR, Status.ERROR),
                    run.measurements().stream().map(MeasurementRecord::phase).toList());
            assertTrue(v.message().startsWith("metric 'errors' could not be measured 3 times in a row, more than"
                    + " consecutiveErrorLimit 2 (2 of 20 measured: 2 successful, 0 failed, 0 inconclusive, 3"
                    + " errors)"), v.message());
            assertTrue(v.message().endsWith(" failed: Prometheus at " + doomed.url()
                    + " did not answer: Connection refused"), v.message());
        }
    }

    @Test
    void theJudgePassesEqualLatenciesAndFailsACanaryHalfAgainSlower() throws Exception {
        prometheus.awaitScrapes(12); // so each 1m range query brings enough points

        AnalysisRun same = start(analyses, "latency", "stable-g", "canary-g-same");
        Verdict pass = drive(same);
        assertEquals(Status.SUCCESSFUL, pass.status(), pass.message());
        assertTrue(pass.message().startsWith("the judge passed the canary: "), pass.message());
        assertEquals(3, same.record().judge().round());
        assertEquals(100.0, same.record().judge().score());

        AnalysisRun slow = start(analyses, "latency", "stable-g", "canary-g-slow");
        Verdict fail = drive(slow);
        assertEquals(Status.FAILED, fail.status(), fail.message());
        assertTrue(fail.message().startsWith("the judge failed the canary: critical metric 'latency' is HIGH"),
                fail.message());
        assertTrue(fail.message().contains("canary is higher: median 0.15"), fail.message());
        // the samples it judged: every point of both range queries, as the record keeps them
        MeasurementRecord canary = slow.measurements().stream().filter(m -> m.metric().equals("judge/latency/canary"))
                .findFirst().orElseThrow();
        assertEquals("app_latency_seconds{track=\"canary-g-slow\"}[1m]", canary.query());
        assertTrue(canary.valueCount() >= 12, canary.toString());
    }
}
