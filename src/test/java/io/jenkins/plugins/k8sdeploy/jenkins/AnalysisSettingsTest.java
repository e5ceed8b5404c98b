package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import org.junit.jupiter.api.Test;

/** Analyses belong to canaries: given with another strategy they are refused, not ignored. Runs without Jenkins. */
class AnalysisSettingsTest {

    record Given(String getAnalysis, String getAnalysisYaml) implements AnalysisSettings {}

    @Test
    void analysesWithAnotherStrategyAreRefusedRatherThanIgnored() {
        Given both = new Given("k8s/analysis.yaml", "analyses: {}");

        assertEquals("Not used by strategy blueGreen: analysis (canary), analysisYaml (canary). Remove them, or set"
                + " strategy to the one they belong to.", assertThrows(DeployException.class,
                        () -> Requests.strategy(new RequestsTest.Strategy("blueGreen"), both)).getMessage());
        assertEquals("Not used by strategy rolling: analysisYaml (canary). Remove them, or set strategy to the one"
                + " they belong to.", assertThrows(DeployException.class,
                        () -> Requests.strategy(new RequestsTest.Strategy(null), new Given(null, "x"))).getMessage());
    }

    @Test
    void aCanaryTakesThem() throws DeployException {
        assertEquals(DeployRecord.Strategy.CANARY, Requests.strategy(new RequestsTest.Strategy("canary"),
                new Given("k8s/analysis.yaml", "analyses: {}")));
    }
}
