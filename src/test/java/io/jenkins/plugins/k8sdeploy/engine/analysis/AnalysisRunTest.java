package io.jenkins.plugins.k8sdeploy.engine.analysis;

import static io.jenkins.plugins.k8sdeploy.engine.analysis.ScriptedProvider.SERVICES;
import static io.jenkins.plugins.k8sdeploy.engine.analysis.ScriptedProvider.T0;
import static io.jenkins.plugins.k8sdeploy.engine.analysis.ScriptedProvider.drive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Verdict;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Measurement;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.MetricProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnalysisRunTest {
    private static final String Q = "sum(rate(errors{service=\"${canaryService}\"}[1m]))";
    private static final String SENT = "sum(rate(errors{service=\"web-canary\"}[1m]))";

    private static AnalysisRun start(MetricProvider provider, MetricSpec... metrics) throws Exception {
        return new Analyses(List.of(new AnalysisSpec("a", List.of(metrics), null)), Map.of("prom", provider))
                .start("a", SERVICES, T0);
    }

    private static MetricSpec metric(String success) {
        return MetricSpec.of("errors", "prom", Q).withSuccessCondition(success);
    }

    static Stream<Arguments> argoRules() {
        String s = "result < 0.05";
        String f = "result > 0.1";
        return Stream.of(
                // success only: true succeeds, false fails
                Arguments.of(s, null, 0.01, Status.SUCCESSFUL, "successCondition 'result < 0.05' is true"),
                Arguments.of(s, null, 0.07, Status.FAILED, "successCondition 'result < 0.05' is false"),
                // failure only: true fails, false succeeds
                Arguments.of(null, f, 0.2, Status.FAILED, "failureCondition 'result > 0.1' is true"),
                Arguments.of(null, f, 0.07, Status.SUCCESSFUL, "failureCondition 'result > 0.1' is false"),
                // both: success true succeeds, failure true fails, neither is inconclusive, both true fails
                Arguments.of(s, f, 0.01, Status.SUCCESSFUL, "successCondition 'result < 0.05' is true"),
                Arguments.of(s, f, 0.2, Status.FAILED, "failureCondition 'result > 0.1' is true"),
                Arguments.of(s, f, 0.07, Status.INCONCLUSIVE, "neither successCondition 'result < 0.05' nor"
                        + " failureCondition 'result > 0.1' is true"),
                Arguments.of("result < 0.5", f, 0.2, Status.FAILED, "failureCondition 'result > 0.1' is true"
                        + " (successCondition 'result < 0.5' is true too; failure wins)"));
    }

    @ParameterizedTest(name = "success {0}, failure {1}, value {2}: {3}")
    @MethodSource("argoRules")
    void eachMeasurementIsJudgedByArgosRules(String success, String failure, double value, Status expected,
            String why) {
        MetricSpec spec = MetricSpec.of("errors", "prom", Q).withSuccessCondition(success)
                .withFailureCondition(failure);
        Verdicts.Assessment a = Verdicts.assess(spec, SENT, T0.plusSeconds(5), Measurement.of(value));
        assertEquals(expected, a.status());
        assertEquals("query '" + SENT + "' at 12:00:05Z returned [" + Judge.num(value) + "]; " + why, a.message());
    }

    @Test
    void failureLimitTwoToleratesTwoFailuresAndFailsOnTheThird() throws Exception {
        ScriptedProvider p = ScriptedProvider.values(0.1, 0.01, 0.2, 0.01, 0.3, 0.01);
        AnalysisRun run = start(p, metric("result < 0.05").withCount(10).withFailureLimit(2));
        Verdict v = drive(run, T0);
        assertEquals(Status.FAILED, v.status());
        assertEquals(5, p.queries.size(), "stopped at the third failure, the fifth measurement");
        assertEquals("metric 'errors' failed 3 times, more than failureLimit 2 (5 of 10 measured: 2 successful, 3"
                + " failed, 0 inconclusive, 0 errors); last: query '" + SENT + "' at 12:02:00Z returned [0.3];"
                + " successCondition 'result < 0.05' is false", v.message());
        assertEquals(List.of(Status.FAILED, Status.SUCCESSFUL, Status.FAILED, Status.SUCCESSFUL, Status.FAILED),
                run.measurements().stream().map(MeasurementRecord::phase).toList());
        assertEquals(Duration.ofSeconds(30), Duration.between(p.times.get(0), p.times.get(1)), "the default interval");
    }

    @Test
    void twoFailuresWithinTheLimitStillPass() throws Exception {
        AnalysisRun run = start(ScriptedProvider.values(0.1, 0.01, 0.2, 0.01, 0.01),
                metric("result < 0.05").withFailureLimit(2));
        Verdict v = drive(run, T0);
        assertEquals(Status.SUCCESSFUL, v.status());
        assertEquals("metric 'errors' passed (5 of 5 measured: 3 successful, 2 failed, 0 inconclusive, 0 errors)",
                v.message());
    }

    @Test
    void aMeasuredValueResetsTheRunOfErrors() throws Exception {
        Measurement down = Measurement.error("connection refused");
        ScriptedProvider p = new ScriptedProvider(down, down, down, down, Measurement.of(0.01), down, down, down,
                down, Measurement.of(0.01));
        AnalysisRun run = start(p, metric("result < 0.05").withCount(2));
        Verdict v = drive(run, T0);
        assertEquals(Status.SUCCESSFUL, v.status(), v.message());
        assertEquals("metric 'errors' passed (2 of 2 measured: 2 successful, 0 failed, 0 inconclusive, 8 errors)",
                v.message());
        assertEquals(Duration.ofSeconds(10), Duration.between(p.times.get(0), p.times.get(1)),
                "an error is retried after 10s, not the 30s interval");
    }

    @Test
    void fiveErrorsInARowEndInErrorAndNeverInSuccess() throws Exception {
        // Argo counts errors towards count, so a count of 3 that only ever errored would pass; here it cannot
        ScriptedProvider p = new ScriptedProvider(Measurement.error("HTTP 503 from prometheus"));
        AnalysisRun run = start(p, metric("result < 0.05").withCount(3));
        Verdict v = drive(run, T0);
        assertEquals(Status.ERROR, v.status());
        assertEquals(5, p.queries.size());
        assertEquals("metric 'errors' could not be measured 5 times in a row, more than consecutiveErrorLimit 4 (0"
                + " of 3 measured: 0 successful, 0 failed, 0 inconclusive, 5 errors); last: query '" + SENT + "' at"
                + " 12:00:40Z failed: HTTP 503 from prometheus", v.message());
    }

    @Test
    void noSeriesIsAnErrorSayingWhatWasAskedAndWhatCameBack() throws Exception {
        AnalysisRun run = start(new ScriptedProvider(Measurement.of(List.of())), metric("result < 0.05"));
        Verdict v = drive(run, T0);
        assertEquals(Status.ERROR, v.status());
        MeasurementRecord first = run.measurements().get(0);
        assertEquals(Status.ERROR, first.phase());
        assertEquals("query '" + SENT + "' at 12:00:00Z returned no series", first.message());
        assertEquals(SENT, first.query());
        assertTrue(v.message().contains("returned no series"), v.message());
    }

    @Test
    void nanIsAnErrorSayingSo() throws Exception {
        AnalysisRun run = start(new ScriptedProvider(Measurement.of(Double.NaN)), metric("result < 0.05"));
        assertEquals(Status.RUNNING, run.poll(T0).status());
        MeasurementRecord first = run.measurements().get(0);
        assertEquals(Status.ERROR, first.phase());
        assertEquals("query '" + SENT + "' at 12:00:00Z returned [NaN]", first.message());
        assertEquals(Status.ERROR, drive(run, T0.plusSeconds(10)).status());
    }

    @Test
    void noDataCanBeMadeInconclusiveOrFailed() throws Exception {
        Verdict inconclusive = drive(start(new ScriptedProvider(Measurement.of(List.of())),
                metric("result < 0.05").withOnNoData(MetricSpec.NoData.INCONCLUSIVE)), T0);
        assertEquals(Status.INCONCLUSIVE, inconclusive.status());
        assertEquals("metric 'errors' was inconclusive once, more than inconclusiveLimit 0 (1 of 5 measured: 0"
                + " successful, 0 failed, 1 inconclusive, 0 errors); last: query '" + SENT + "' at 12:00:00Z returned"
                + " no series (onNoData INCONCLUSIVE)", inconclusive.message());
        Verdict failed = drive(start(new ScriptedProvider(Measurement.of(Double.NaN, Double.NaN)),
                metric("result < 0.05").withOnNoData(MetricSpec.NoData.FAILED)), T0);
        assertEquals(Status.FAILED, failed.status());
        assertTrue(failed.message().contains("returned [NaN, NaN] (onNoData FAILED)"), failed.message());
    }

    @Test
    void noDataCanBeHandedToTheCondition() throws Exception {
        // no 5xx series at all means no errors
        AnalysisRun run = start(new ScriptedProvider(Measurement.of(List.of()), Measurement.of(0.01)),
                metric("len(result) == 0 || result < 0.05").withCount(2)
                        .withOnNoData(MetricSpec.NoData.EVALUATE));
        assertEquals(Status.SUCCESSFUL, drive(run, T0).status());
        // and a condition that reads a value that is not there is an error, not a crash
        Verdicts.Assessment a = Verdicts.assess(metric("result < 0.05").withOnNoData(MetricSpec.NoData.EVALUATE),
                SENT, T0, Measurement.of(List.of()));
        assertEquals(Status.ERROR, a.status());
        assertEquals("query '" + SENT + "' at 12:00:00Z returned []; successCondition 'result < 0.05' cannot be"
                + " evaluated: result has no first value: the query returned no values", a.message());
    }

    @Test
    void providerTroubleIsAnErrorMeasurementNeverAnException() throws Exception {
        ScriptedProvider p = new ScriptedProvider(Measurement.error("bad_data: parse error at char 5"),
                new IllegalStateException("boom"), ScriptedProvider.NOTHING, Measurement.of(0.01));
        AnalysisRun run = start(p, metric("result < 0.05").withCount(1));
        Verdict v = drive(run, T0);
        assertEquals(Status.SUCCESSFUL, v.status());
        List<MeasurementRecord> m = run.measurements();
        assertEquals("query '" + SENT + "' at 12:00:00Z failed: bad_data: parse error at char 5", m.get(0).message());
        assertEquals("query '" + SENT + "' at 12:00:10Z failed: provider 'prom' failed:"
                + " java.lang.IllegalStateException: boom", m.get(1).message());
        assertEquals("query '" + SENT + "' at 12:00:20Z failed: provider 'prom' returned nothing", m.get(2).message());
        assertEquals(List.of(Status.ERROR, Status.ERROR, Status.ERROR, Status.SUCCESSFUL),
                m.stream().map(MeasurementRecord::phase).toList());
    }

    @Test
    void survivesSerializationMidAnalysisAndContinuesOnceProvidersAreBack() throws Exception {
        Analyses analyses = new Analyses(List.of(new AnalysisSpec("a", List.of(metric("result < 0.05").withCount(4)),
                null)), Map.of("prom", ScriptedProvider.values(0.01, 0.02)));
        AnalysisRun run = analyses.start("a", SERVICES, T0);
        assertEquals(Status.RUNNING, run.poll(T0).status());
        assertEquals(Status.RUNNING, run.poll(T0.plusSeconds(30)).status());

        byte[] saved = serialize(run);
        AnalysisRun unattached = deserialize(saved);
        assertEquals(false, unattached.attached());
        Verdict lost = unattached.poll(T0.plusSeconds(60));
        assertEquals(Status.ERROR, lost.status(), "without providers it says so instead of measuring nothing");
        assertTrue(lost.message().contains("without its metric providers"), lost.message());

        ScriptedProvider after = ScriptedProvider.values(0.03, 0.04);
        Analyses again = new Analyses(List.of(analyses.get("a")), Map.of("prom", after));
        AnalysisPort.Run back = again.resume(deserialize(saved));
        Verdict v = drive((AnalysisRun) back, T0.plusSeconds(60));
        assertEquals(Status.SUCCESSFUL, v.status(), v.message());
        assertEquals(2, after.queries.size(), "only the two remaining measurements were taken");
        assertEquals(List.of(T0.plusSeconds(60), T0.plusSeconds(90)), after.times);
        AnalysisRecord r = ((AnalysisRun) back).record();
        assertEquals(List.of(0.01, 0.02, 0.03, 0.04), r.measurements().stream().map(m -> m.values().get(0)).toList());
        assertEquals(4, r.metrics().get(0).measured());
        assertEquals(T0.plusSeconds(90), r.finished());
        // and the record itself is plain serializable data
        assertEquals(r, deserialize(serialize(r)));
    }

    @Test
    void aFailedMetricEndsTheRunWhileOthersAreStillMeasuring() throws Exception {
        ScriptedProvider errors = ScriptedProvider.values(0.01, 0.2);
        ScriptedProvider latency = ScriptedProvider.values(0.1);
        AnalysisRun run = new Analyses(List.of(new AnalysisSpec("a", List.of(
                MetricSpec.of("errors", "e", "errors").withSuccessCondition("result < 0.05"),
                MetricSpec.of("latency", "l", "latency").withSuccessCondition("result < 0.5").withCount(10)), null)),
                Map.of("e", errors, "l", latency)).start("a", SERVICES, T0);
        Verdict v = drive(run, T0);
        assertEquals(Status.FAILED, v.status());
        assertTrue(v.message().startsWith("metric 'errors' failed once, more than failureLimit 0"), v.message());
        assertEquals(1, latency.queries.size(), "latency was not measured after errors failed");
        assertEquals(List.of(Status.FAILED, Status.RUNNING),
                run.record().metrics().stream().map(AnalysisRecord.Metric::status).toList());
        assertSame(run.poll(T0.plusSeconds(600)), run.verdict(), "a final verdict is returned again, nothing measured");
        assertEquals(1, latency.queries.size());
    }

    @Test
    void anInconclusiveMetricWaitsForTheOthersWhichMayStillFail() throws Exception {
        MetricSpec unsure = MetricSpec.of("unsure", "u", "u").withSuccessCondition("result < 1")
                .withFailureCondition("result > 2").withCount(1);
        MetricSpec slow = MetricSpec.of("slow", "s", "s").withSuccessCondition("result < 1").withCount(3);
        ScriptedProvider u = ScriptedProvider.values(1.5);
        AnalysisRun passing = new Analyses(List.of(new AnalysisSpec("a", List.of(unsure, slow), null)),
                Map.of("u", u, "s", ScriptedProvider.values(0.5))).start("a", SERVICES, T0);
        assertEquals(Status.RUNNING, passing.poll(T0).status(), "unsure is decided, slow is not");
        Verdict v = drive(passing, T0.plusSeconds(30));
        assertEquals(Status.INCONCLUSIVE, v.status());
        assertTrue(v.message().startsWith("metric 'unsure' was inconclusive once"), v.message());

        AnalysisRun failing = new Analyses(List.of(new AnalysisSpec("a", List.of(unsure, slow), null)),
                Map.of("u", ScriptedProvider.values(1.5), "s", ScriptedProvider.values(0.5, 5))).start("a", SERVICES,
                T0);
        assertEquals(Status.FAILED, drive(failing, T0).status(), "worse than inconclusive");
    }

    @Test
    void aBackgroundMetricRunsAsLongAsTheOthersAndMustHaveMeasuredSomething() throws Exception {
        MetricSpec counted = MetricSpec.of("counted", "c", "c").withSuccessCondition("result < 1").withCount(3);
        MetricSpec guard = MetricSpec.of("guard", "g", "g").withSuccessCondition("result < 1").withCount(0)
                .withInterval(Duration.ofSeconds(20));
        AnalysisRun ok = new Analyses(List.of(new AnalysisSpec("a", List.of(counted, guard), null)),
                Map.of("c", ScriptedProvider.values(0.5), "g", ScriptedProvider.values(0.5))).start("a", SERVICES, T0);
        Verdict v = drive(ok, T0);
        assertEquals(Status.SUCCESSFUL, v.status());
        assertTrue(v.message().contains("metric 'guard' passed while the analysis ran (4 measured: 4 successful"),
                v.message());

        AnalysisRun blind = new Analyses(List.of(new AnalysisSpec("a", List.of(counted,
                guard.withConsecutiveErrorLimit(100)), null)),
                Map.of("c", ScriptedProvider.values(0.5), "g", new ScriptedProvider(Measurement.error("timeout"))))
                .start("a", SERVICES, T0);
        Verdict b = drive(blind, T0);
        assertEquals(Status.INCONCLUSIVE, b.status(), b.message());
        assertTrue(b.message().contains("metric 'guard' never returned a value while the analysis ran"),
                b.message());
    }

    @Test
    void pollsWhenTheNextMeasurementIsDue() throws Exception {
        AnalysisRun run = start(ScriptedProvider.values(0.01), metric("result < 0.05").withCount(3)
                .withInterval(Duration.ofMinutes(1)).withInitialDelay(Duration.ofSeconds(45)));
        assertEquals(Status.RUNNING, run.poll(T0).status());
        assertEquals(Duration.ofSeconds(45), run.next());
        assertTrue(run.measurements().isEmpty(), "nothing is due before the initial delay");
        run.poll(T0.plusSeconds(45));
        assertEquals(Duration.ofMinutes(1), run.next());
        assertEquals("measuring: errors 1/3", run.poll(T0.plusSeconds(50)).message());
        assertEquals(Duration.ofSeconds(55), run.next());
        assertNull(run.record().finished());
        assertEquals(Status.RUNNING, run.record().status());
    }

    static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static <T> T deserialize(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (T) in.readObject();
        }
    }
}
