package io.jenkins.plugins.k8sdeploy.engine.analysis;

import java.io.Serializable;
import java.util.List;

/**
 * The judge's view after a round: the score, each metric's classification, and what that means for the canary.
 *
 * <pre>{@code
 * // FAILED, score 0.0: "critical metric 'errors' is HIGH: canary is higher: median 0.051 vs stable 0.010, ..."
 * }</pre>
 *
 * @param status RUNNING while rounds remain and nothing decided early; else SUCCESSFUL, FAILED or INCONCLUSIVE
 * @param score 0..100 (pass weight / judged weight x 100; 0 when a critical metric failed), or null while no metric
 *     has enough data
 * @param round rounds of data judged so far
 */
public record JudgeReport(
        AnalysisPort.Status status,
        Double score,
        double passScore,
        double marginalScore,
        int round,
        int rounds,
        List<MetricJudgement> metrics,
        String message) implements Serializable {

    public JudgeReport {
        metrics = List.copyOf(metrics);
    }
}
