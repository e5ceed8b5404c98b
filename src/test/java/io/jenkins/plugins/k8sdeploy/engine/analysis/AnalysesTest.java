package io.jenkins.plugins.k8sdeploy.engine.analysis;

import static io.jenkins.plugins.k8sdeploy.engine.analysis.ScriptedProvider.SERVICES;
import static io.jenkins.plugins.k8sdeploy.engine.analysis.ScriptedProvider.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.JudgedMetric;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.MetricProvider;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysesTest {
    private static final Map<String, MetricProvider> PROM = Map.of("prom", ScriptedProvider.values(0.01));

    private static String problems(AnalysisSpec... specs) {
        return assertThrows(DeployException.class, () -> new Analyses(List.of(specs), PROM)).getMessage();
    }

    @Test
    void startsTheNamedAnalysisWithTheCanarysNamesFilledIn() throws Exception {
        ScriptedProvider p = ScriptedProvider.values(0.01);
        Analyses a = new Analyses(List.of(new AnalysisSpec("errors", List.of(MetricSpec.of("rate", "prom",
                "x{ns=\"${namespace}\",c=\"${canaryService}\",s=\"${stableService}\",app=\"${app}\","
                        + "h=\"${stableHash}\",lit=\"$${canaryService}\"}").withSuccessCondition("result < 1")),
                null)), Map.of("prom", p));
        assertTrue(a.knows("errors"));
        assertFalse(a.knows("latency"));
        assertEquals(AnalysisPort.Status.RUNNING, a.start("errors", SERVICES, T0).poll(T0).status());
        assertEquals("x{ns=\"shop\",c=\"web-canary\",s=\"web\",app=\"web\",h=\"abc123\",lit=\"${canaryService}\"}",
                p.queries.get(0));
        assertEquals("The canary plan runs analysis 'latency', but no analysis of that name is configured"
                + " (configured: errors).", assertThrows(DeployException.class,
                        () -> a.start("latency", SERVICES, T0)).getMessage());
    }

    @Test
    void aPlaceholderThisCanaryCannotFillStopsTheStart() throws Exception {
        Analyses a = new Analyses(List.of(new AnalysisSpec("errors", List.of(MetricSpec.of("rate", "prom",
                "x{c=\"${canaryService}\"}").withSuccessCondition("result < 1")), null)), PROM);
        CanaryServices noRouter = new CanaryServices("shop", null, null, Map.of("app", "web"), Map.of());
        String m = assertThrows(DeployException.class, () -> a.start("errors", noRouter, T0)).getMessage();
        assertEquals("The query of metric 'rate' uses ${canaryService}, but this canary has none (a canary has"
                + " Services of its own only with a traffic router, or when stableService names one). Known here:"
                + " [${namespace}=shop, ${app}=web].", m);
    }

    @Test
    void everyMistakeIsReportedBeforeTheCanaryStarts() {
        String m = problems(new AnalysisSpec("errors", List.of(
                MetricSpec.of("rate", "prom", "x{s=\"${service}\"}").withSuccessCondition("result <"),
                MetricSpec.of("rate", "grafana", "y").withFailureCondition("result = 1"),
                MetricSpec.of("none", "prom", "z"),
                MetricSpec.of("odd", "prom", "z").withSuccessCondition("result < 1").withFailureLimit(-1)
                        .withInterval(Duration.ofMillis(10)).withCount(-2)), null));
        List<String> expected = List.of(
                "Metric 'rate': the query uses ${service}; the placeholders are ${namespace}, ${stableService},"
                        + " ${canaryService}, ${app} and ${stableHash}",
                "Metric 'rate': successCondition 'result <' is not valid: the condition ends where",
                "Metric 'rate' is there twice",
                "Metric 'rate': failureCondition 'result = 1' is not valid: '=' at position 8 is not an"
                        + " operator; write '=='.",
                "Metric 'none': it has neither a successCondition nor a failureCondition",
                "Metric 'odd': interval PT0.01S is shorter than 1s.",
                "Metric 'odd': count -2 is negative",
                "Metric 'odd': failureLimit, inconclusiveLimit and consecutiveErrorLimit must be 0 or more; got -1, 0"
                        + " and 4.",
                "It measures with provider 'grafana', which is not configured (configured: prom).");
        for (String e : expected) {
            assertTrue(m.contains(e), "'" + e + "' in: " + m);
        }
        assertTrue(m.startsWith("Analysis 'errors': "), m);
    }

    @Test
    void analysesThatCouldNeverEndOrJudgeNothingAreRefused() {
        assertTrue(problems(new AnalysisSpec("bg", List.of(MetricSpec.of("g", "prom", "g")
                .withSuccessCondition("result < 1").withCount(0)), null)).contains("would never end"));
        assertTrue(problems(new AnalysisSpec("empty", List.of(), null)).contains("It has no metrics and no judge."));
        String judge = problems(new AnalysisSpec("j", List.of(), JudgeSpec.of(
                JudgedMetric.of("same", "prom", "latency"),
                JudgedMetric.of("odd", "prom", "latency{s=\"${service}\"}").withTolerance(-1).withConfidence(1)
                        .withWeight(0)).withScores(70, 80).withMinPoints(2).withRounds(0)));
        for (String e : List.of(
                "Judged metric 'same': the query has neither ${service} nor ${scope}, so canary and stable would run"
                        + " the same query",
                "Judged metric 'odd': tolerance must be 0 or more",
                "Judged metric 'odd': confidence must be between 0 and 1",
                "Judged metric 'odd': weight must be more than 0",
                "Judge: rounds must be at least 1",
                "Judge: minPoints must be at least 3",
                "Judge: scores must satisfy 0 <= marginal <= pass <= 100; got marginal 80.0 and pass 70.0.")) {
            assertTrue(judge.contains(e), "'" + e + "' in: " + judge);
        }
    }

    @Test
    void resumeGivesOnlyItsOwnRunsTheirProviders() throws Exception {
        Analyses a = new Analyses(List.of(new AnalysisSpec("errors", List.of(MetricSpec.of("rate", "prom", "x")
                .withSuccessCondition("result < 1")), null)), PROM);
        AnalysisPort.Run other = new AnalysisPort.Run() {
            @Override
            public AnalysisPort.Verdict poll(java.time.Instant now) {
                return new AnalysisPort.Verdict(AnalysisPort.Status.SUCCESSFUL, "");
            }

            @Override
            public Duration next() {
                return Duration.ZERO;
            }
        };
        assertEquals(other, a.resume(other));
        AnalysisRun run = AnalysisRunTest.deserialize(AnalysisRunTest.serialize(a.start("errors", SERVICES, T0)));
        assertFalse(run.attached());
        assertTrue(((AnalysisRun) a.resume(run)).attached());
    }

    @Test
    void metricSpecDefaults() {
        MetricSpec m = MetricSpec.of("rate", "prom", "x");
        assertEquals(Duration.ofSeconds(30), m.interval());
        assertEquals(5, m.count());
        assertEquals(Duration.ZERO, m.initialDelay());
        assertEquals(0, m.failureLimit());
        assertEquals(0, m.inconclusiveLimit());
        assertEquals(4, m.consecutiveErrorLimit());
        assertEquals(MetricSpec.NoData.ERROR, m.onNoData());
        JudgeSpec j = JudgeSpec.of(JudgedMetric.of("l", "prom", "${service}"));
        assertEquals(Duration.ofMinutes(1), j.interval());
        assertEquals(10, j.rounds());
        assertEquals(20, j.minPoints());
        assertEquals(90, j.passScore());
        assertEquals(75, j.marginalScore());
        JudgedMetric jm = j.metrics().get(0);
        assertEquals(0.25, jm.tolerance());
        assertEquals(0.98, jm.confidence());
        assertEquals(JudgeSpec.Direction.INCREASE, jm.direction());
    }
}
