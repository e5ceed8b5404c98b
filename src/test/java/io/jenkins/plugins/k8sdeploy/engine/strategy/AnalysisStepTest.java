package io.jenkins.plugins.k8sdeploy.engine.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The words a verdict is told in, the same for the canary and blue-green. */
class AnalysisStepTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "SUCCESSFUL   | 5 of 5 passed             | Analysis 'smoke' passed: 5 of 5 passed",
        "INCONCLUSIVE | too few requests          | Analysis 'smoke' was inconclusive: too few requests",
        "FAILED       | error rate 7% > 1%        | Analysis 'smoke' failed: error rate 7% > 1%",
        "ERROR        | Prometheus did not answer | Analysis 'smoke' could not measure: Prometheus did not answer",
    })
    void aVerdictThatEndsTheAnalysisIsToldByName(Status status, String message, String expected) {
        assertEquals(expected, AnalysisStep.outcome("smoke", new AnalysisPort.Verdict(status, message)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "FAILED | error rate 7% > 1%        | failed: error rate 7% > 1%",
        "ERROR  | Prometheus did not answer | error: Prometheus did not answer",
    })
    void aFailureSaysItsStatus(Status status, String message, String expected) {
        assertEquals(expected, AnalysisStep.failure(status, message));
    }
}
