package io.jenkins.plugins.k8sdeploy.engine.analysis;

import static io.jenkins.plugins.k8sdeploy.engine.analysis.ScriptedProvider.SERVICES;
import static io.jenkins.plugins.k8sdeploy.engine.analysis.ScriptedProvider.T0;
import static io.jenkins.plugins.k8sdeploy.engine.analysis.ScriptedProvider.drive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Verdict;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.Direction;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.JudgedMetric;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MetricJudgement.Classification;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Measurement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JudgeTest {
    private static final JudgedMetric LATENCY = JudgedMetric.of("latency", "prom", "latency{service=\"${service}\"}");

    private static double[] normal(long seed, int n, double mean, double sd) {
        Random r = new Random(seed);
        return IntStream.range(0, n).mapToDouble(i -> mean + sd * r.nextGaussian()).toArray();
    }

    private static double[] constant(int n, double v) {
        double[] out = new double[n];
        Arrays.fill(out, v);
        return out;
    }

    private static MetricJudgement judged(String name, Classification c, boolean critical) {
        return new MetricJudgement(name, c, critical, 1, 60, 60, null, null, null, null, null, name + " says " + c);
    }

    @Test
    void equalDistributionsPass() {
        MetricJudgement j = Judge.classify(LATENCY, normal(1, 60, 100, 10), normal(2, 60, 100, 10), 20);
        assertEquals(Classification.PASS, j.classification(), j.message());
        assertTrue(Math.abs(j.effect()) < 0.05, "effect " + j.effect());
        assertEquals(60, j.canaryPoints());
        JudgeReport r = Judge.score(JudgeSpec.of(LATENCY), List.of(j), 10, true);
        assertEquals(Status.SUCCESSFUL, r.status(), r.message());
        assertEquals(100.0, r.score());
        assertEquals("score 100 (round 10 of 10, pass 90, marginal 75) passes", r.message());
    }

    @Test
    void aCanaryThirtyPercentSlowerFails() {
        MetricJudgement j = Judge.classify(LATENCY, normal(1, 60, 130, 13), normal(2, 60, 100, 10), 20);
        assertEquals(Classification.HIGH, j.classification(), j.message());
        assertTrue(j.pValue() < 1e-6, "p " + j.pValue());
        assertTrue(j.effect() > 0.25 && j.effect() < 0.35, "effect " + j.effect());
        assertTrue(j.message().startsWith("canary is higher: median "), j.message());
        assertTrue(j.message().contains("of stable's median, tolerance 25.0%), p="), j.message());
        JudgeReport r = Judge.score(JudgeSpec.of(LATENCY), List.of(j), 3, false);
        assertEquals(Status.FAILED, r.status(), "fails early: score 0 is at or below marginal");
        assertEquals(0.0, r.score());
        assertTrue(r.message().startsWith("interim score 0 (round 3 of 10, pass 90, marginal 75) is at or below"
                + " marginal, so the canary fails early; 'latency' is HIGH: canary is higher"), r.message());
    }

    @Test
    void tooFewPointsIsNoDataAndNeverPasses() {
        MetricJudgement j = Judge.classify(LATENCY, normal(1, 7, 300, 10), normal(2, 9, 100, 10), 20);
        assertEquals(Classification.NODATA, j.classification());
        assertEquals("canary has 7 points, stable 9; at least 20 each are needed", j.message());
        assertNull(j.pValue());
        JudgeReport interim = Judge.score(JudgeSpec.of(LATENCY), List.of(j), 1, false);
        assertEquals(Status.RUNNING, interim.status(), "no early verdict on no data");
        assertNull(interim.score());
        JudgeReport last = Judge.score(JudgeSpec.of(LATENCY), List.of(j), 10, true);
        assertEquals(Status.INCONCLUSIVE, last.status());
        assertEquals("too little to judge the canary on (round 10 of 10); undecided: 'latency' is NODATA: canary has"
                + " 7 points, stable 9; at least 20 each are needed", last.message());
    }

    @Test
    void nanAndInfinityAreLeftOutBeforeCounting() {
        double[] canary = normal(1, 25, 100, 10);
        for (int i = 0; i < 10; i++) {
            canary[i] = i % 2 == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        MetricJudgement j = Judge.classify(LATENCY, canary, normal(2, 30, 100, 10), 20);
        assertEquals("canary has 15 points, stable 30; at least 20 each are needed", j.message());
    }

    @Test
    void respectsTheDirection() {
        double[] faster = normal(1, 60, 70, 7);
        double[] stable = normal(2, 60, 100, 10);
        MetricJudgement inc = Judge.classify(LATENCY, faster, stable, 20);
        assertEquals(Classification.PASS, inc.classification(), "a decrease in latency is not a failure");
        assertTrue(inc.message().endsWith(": lower, which direction increase does not count against the canary"),
                inc.message());
        assertEquals(Classification.LOW,
                Judge.classify(LATENCY.withDirection(Direction.DECREASE), faster, stable, 20).classification());
        assertEquals(Classification.LOW,
                Judge.classify(LATENCY.withDirection(Direction.EITHER), faster, stable, 20).classification());
        double[] slower = normal(3, 60, 130, 13);
        assertEquals(Classification.PASS,
                Judge.classify(LATENCY.withDirection(Direction.DECREASE), slower, stable, 20).classification(),
                "throughput going up is not a failure");
        assertEquals(Classification.HIGH,
                Judge.classify(LATENCY.withDirection(Direction.EITHER), slower, stable, 20).classification());
    }

    private static final double[] NOISY = {20, 40, 70, 100, 100, 130, 160, 180};

    private static double[] plus(double[] values, double d) {
        return Arrays.stream(values).map(v -> v + d).toArray();
    }

    static Stream<Arguments> statistics() {
        double[] s100 = normal(2, 60, 100, 10);
        return Stream.of(
                // name, canary, stable, tolerance, confidence, classification, shift (NaN: do not check)
                Arguments.of("identical data", s100, s100, 0.25, 0.98, Classification.PASS, 0.0),
                Arguments.of("constant, doubled", constant(20, 200), constant(20, 100), 0.25, 0.98,
                        Classification.HIGH, 100.0),
                Arguments.of("constant, equal", constant(20, 5), constant(20, 5), 0.25, 0.98, Classification.PASS,
                        0.0),
                Arguments.of("+20% is within the 25% tolerance", normal(1, 60, 120, 2), normal(2, 60, 100, 2), 0.25,
                        0.98, Classification.PASS, Double.NaN),
                Arguments.of("+20% is over a 10% tolerance", normal(1, 60, 120, 2), normal(2, 60, 100, 2), 0.10,
                        0.98, Classification.HIGH, Double.NaN),
                Arguments.of("+40 on 8 vs 8 noisy points: not significant, so unclear, never a pass",
                        plus(NOISY, 40), NOISY, 0.25, 0.98, Classification.INCONCLUSIVE, 40.0),
                Arguments.of("-40 on noisy points, direction increase: harmless", plus(NOISY, -40), NOISY, 0.25,
                        0.98, Classification.PASS, -40.0),
                Arguments.of("stable all zero: any rise is infinite", constant(20, 1), constant(20, 0), 0.25, 0.98,
                        Classification.HIGH, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statistics")
    void classifiesByTestEffectAndTolerance(String name, double[] canary, double[] stable, double tolerance,
            double confidence, Classification expected, double shift) {
        MetricJudgement j = Judge.classify(LATENCY.withTolerance(tolerance).withConfidence(confidence), canary, stable,
                canary.length < 20 ? 5 : 20);
        assertEquals(expected, j.classification(), j.message());
        if (!Double.isNaN(shift)) {
            assertEquals(shift, j.shift(), 1e-9);
        }
    }

    @Test
    void hodgesLehmannIsTheMedianOfPairwiseDifferences() {
        assertEquals(2.0, Judge.hodgesLehmann(new double[] {1, 2, 3}, new double[] {0}));
        assertEquals(13.5, Judge.hodgesLehmann(new double[] {10, 20}, new double[] {1, 2})); // 8, 9, 18, 19
        assertEquals(-1.0, Judge.hodgesLehmann(new double[] {1, 2, 3}, new double[] {2, 3, 4}));
        assertEquals(5.0, Judge.hodgesLehmann(new double[] {5, 6, 100}, new double[] {0, 1, 2}),
                "robust: one outlier does not move it far");
    }

    @Test
    void pValueIsTheTwoSidedNormalApproximation() {
        // R: wilcox.test(1:5, 6:10, exact = FALSE, correct = FALSE)$p.value = 0.009023
        JudgedMetric m = LATENCY.withTolerance(0);
        MetricJudgement j = Judge.classify(m, new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10}, 5);
        assertEquals(0.009023, j.pValue(), 1e-5);
        assertEquals(Classification.PASS, j.classification(), "lower, and direction is increase");
        assertEquals(Classification.LOW, Judge.classify(m.withDirection(Direction.EITHER), new double[] {1, 2, 3, 4, 5},
                new double[] {6, 7, 8, 9, 10}, 5).classification(), "p 0.009 < 0.02");
        MetricJudgement strict = Judge.classify(m.withDirection(Direction.EITHER).withConfidence(0.995),
                new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10}, 5);
        assertEquals(Classification.INCONCLUSIVE, strict.classification(), "p 0.009 is not < 0.005: too noisy");
        assertEquals("canary looks lower: median 3 vs stable 8, shift -5 (-62.5% of stable's median, tolerance 0.0%),"
                + " p=0.00902, but that is not significant at confidence 0.995; too noisy to tell from 5 and 5 points",
                strict.message());
    }

    @Test
    void aFailedCriticalMetricScoresZeroAtOnce() {
        List<MetricJudgement> js = List.of(judged("latency", Classification.PASS, false),
                judged("cpu", Classification.PASS, false), judged("errors", Classification.HIGH, true));
        JudgeReport r = Judge.score(JudgeSpec.of(LATENCY), js, 2, false);
        assertEquals(Status.FAILED, r.status());
        assertEquals(0.0, r.score());
        assertEquals("critical metric 'errors' is HIGH (round 2 of 10): errors says HIGH; the score is 0",
                r.message());
    }

    @Test
    void anInterimScoreAtOrBelowMarginalFailsEarly() {
        List<MetricJudgement> quarterBad = new ArrayList<>(List.of(judged("a", Classification.PASS, false),
                judged("b", Classification.PASS, false), judged("c", Classification.PASS, false),
                judged("d", Classification.LOW, false)));
        JudgeReport r = Judge.score(JudgeSpec.of(LATENCY), quarterBad, 4, false);
        assertEquals(Status.FAILED, r.status(), "75 is at or below marginal 75");
        assertEquals(75.0, r.score());

        quarterBad.add(judged("e", Classification.PASS, false)); // 80
        assertEquals(Status.RUNNING, Judge.score(JudgeSpec.of(LATENCY), quarterBad, 4, false).status());
        JudgeReport last = Judge.score(JudgeSpec.of(LATENCY), quarterBad, 10, true);
        assertEquals(Status.INCONCLUSIVE, last.status(), "80 is between marginal 75 and pass 90: a person decides");
        assertEquals("score 80 (round 10 of 10, pass 90, marginal 75) is above marginal but below pass; a person"
                + " decides; 'd' is LOW: d says LOW", last.message());
        assertEquals(Status.SUCCESSFUL, Judge.score(JudgeSpec.of(LATENCY).withScores(80, 50), quarterBad, 10, true)
                .status());
    }

    @Test
    void noDataMetricsAreLeftOutOfTheScoreUnlessTheyAreHalfOfIt() {
        List<MetricJudgement> js = List.of(judged("a", Classification.PASS, false),
                judged("b", Classification.PASS, false), judged("c", Classification.NODATA, false));
        JudgeReport r = Judge.score(JudgeSpec.of(LATENCY), js, 10, true);
        assertEquals(Status.SUCCESSFUL, r.status());
        assertEquals(100.0, r.score());
        assertTrue(r.message().endsWith("passes; undecided: 'c' is NODATA: c says NODATA"), r.message());
        JudgeReport half = Judge.score(JudgeSpec.of(LATENCY), List.of(js.get(0), js.get(2)), 10, true);
        assertEquals(Status.INCONCLUSIVE, half.status());
        JudgeReport critical = Judge.score(JudgeSpec.of(LATENCY), List.of(js.get(0), js.get(1),
                judged("c", Classification.NODATA, true)), 10, true);
        assertEquals(Status.INCONCLUSIVE, critical.status(), "a critical metric must have data");
    }

    /** A provider of the judge's samples: ten values a round for each side, canary scaled by {@code factor}. */
    private static ScriptedProvider samples(double factor) {
        Random canary = new Random(7);
        Random stable = new Random(8);
        return new ScriptedProvider(q -> {
            boolean isCanary = q.contains("web-canary");
            Random r = isCanary ? canary : stable;
            return Measurement.of(IntStream.range(0, 10)
                    .mapToDouble(i -> (100 + 10 * r.nextGaussian()) * (isCanary ? factor : 1)).toArray());
        });
    }

    private static AnalysisRun judgeRun(ScriptedProvider p) throws Exception {
        JudgeSpec spec = JudgeSpec.of(LATENCY).withRounds(6);
        return new Analyses(List.of(new AnalysisSpec("judged", List.of(), spec)), Map.of("prom", p))
                .start("judged", SERVICES, T0);
    }

    @Test
    void theRunPassesASameCanaryAfterItsRounds() throws Exception {
        ScriptedProvider p = samples(1.0);
        AnalysisRun run = judgeRun(p);
        Verdict v = drive(run, T0);
        assertEquals(Status.SUCCESSFUL, v.status(), v.message());
        assertEquals(12, p.queries.size(), "6 rounds, both sides");
        assertEquals(List.of("latency{service=\"web-canary\"}", "latency{service=\"web\"}"), p.queries.subList(0, 2));
        assertEquals(T0.plusSeconds(60), p.times.get(0), "the first round after one interval");
        JudgeReport report = run.record().judge();
        assertEquals(6, report.round());
        assertEquals(60, report.metrics().get(0).canaryPoints());
        assertTrue(v.message().startsWith("the judge passed the canary: score 100 (round 6 of 6"), v.message());
        assertEquals("judge/latency/canary", run.measurements().get(0).metric());
        assertEquals(Status.RUNNING, run.measurements().get(0).phase());
    }

    @Test
    void theJudgesSamplesSurviveSerialization() throws Exception {
        ScriptedProvider p = samples(1.0);
        AnalysisRun run = judgeRun(p);
        java.time.Instant now = T0;
        for (int i = 0; i < 4; i++) {
            run.poll(now);
            now = now.plus(run.next());
        }
        assertEquals(3, run.record().judge().round());
        AnalysisRun back = AnalysisRunTest.deserialize(AnalysisRunTest.serialize(run));
        back.attach(Map.of("prom", p));
        assertEquals(Status.SUCCESSFUL, drive(back, now).status());
        assertEquals(6, back.record().judge().round());
        assertEquals(60, back.record().judge().metrics().get(0).stablePoints(), "the first 30 points came along");
    }

    @Test
    void theRunFailsASlowerCanaryAsSoonAsItHasTheData() throws Exception {
        AnalysisRun run = judgeRun(samples(1.3));
        Verdict v = drive(run, T0);
        assertEquals(Status.FAILED, v.status());
        assertEquals(2, run.record().judge().round(), "round 2 has 20 points a side, the minimum");
        assertTrue(v.message().startsWith("the judge failed the canary: interim score 0 (round 2 of 6"),
                v.message());
    }

    @Test
    void theJudgeErrsWhenItCannotMeasure() throws Exception {
        AnalysisRun run = judgeRun(new ScriptedProvider(Measurement.error("connection refused")));
        Verdict v = drive(run, T0);
        assertEquals(Status.ERROR, v.status());
        assertTrue(v.message().startsWith("the judge could not measure 5 rounds in a row, more than"
                + " consecutiveErrorLimit 4; last: judge/latency/stable: query 'latency{service=\"web\"}' at"),
                v.message());
    }
}
