package io.jenkins.plugins.k8sdeploy.engine.analysis;

import java.io.Serializable;

/**
 * How the {@link Judge} classified one metric, with the numbers behind it, for the log and the build page.
 *
 * <pre>{@code
 * // HIGH, p=3.1e-12, effect +0.297: "canary is higher: median 130.2 vs stable 100.4, shift +29.8 (+29.7% of
 * // stable's median, tolerance 25%), p=3.1e-12 < 0.02"
 * }</pre>
 *
 * @param shift the Hodges-Lehmann estimate of how much higher the canary is (median of all canary - stable
 *     differences), in the metric's unit; null when not computed (NODATA)
 * @param effect {@code shift} relative to stable's median (0.3 = 30% higher); null when not computed
 * @param pValue the two-sided Mann-Whitney U test's p-value; null when not computed
 */
public record MetricJudgement(
        String metric,
        Classification classification,
        boolean critical,
        double weight,
        int canaryPoints,
        int stablePoints,
        Double canaryMedian,
        Double stableMedian,
        Double shift,
        Double effect,
        Double pValue,
        String message) implements Serializable {

    /**
     * Kayenta's labels (the canary is the same, significantly higher, significantly lower, or has too little data)
     * plus INCONCLUSIVE: the estimated change is beyond the tolerance in the bad direction but the test cannot tell
     * it from chance (noisy data). Kayenta passes such a metric; here it is not judged, so a clearly worse canary on
     * sparse data is never a pass.
     */
    public enum Classification {
        PASS, HIGH, LOW, INCONCLUSIVE, NODATA
    }

    /** True when this metric has no verdict (NODATA or INCONCLUSIVE): left out of the score. */
    public boolean undecided() {
        return classification == Classification.NODATA || classification == Classification.INCONCLUSIVE;
    }

    /** True when this metric counts against the canary. */
    public boolean bad() {
        return classification == Classification.HIGH || classification == Classification.LOW;
    }
}
