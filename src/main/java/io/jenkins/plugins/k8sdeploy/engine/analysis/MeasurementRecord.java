package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One measurement, for the deploy record and the build page: when, which metric, the query as sent, what came back,
 * and what it was judged.
 *
 * <pre>{@code
 * // 12:00:35Z error-rate "sum(rate(...{service=\"web-canary\"}...))" [0.12] FAILED
 * //   "query '...' at 12:00:35Z returned [0.12]; successCondition 'result < 0.05' is false"
 * }</pre>
 *
 * @param metric the metric's name; samples the judge collects are named {@code judge/NAME/canary} and
 *     {@code judge/NAME/stable}
 * @param values at most {@link #MAX_VALUES} of the values, in order; {@code valueCount} says how many there were
 * @param phase SUCCESSFUL, FAILED, INCONCLUSIVE or ERROR for a judged measurement; RUNNING for a sample the judge
 *     collected (judged later, with the others)
 */
public record MeasurementRecord(
        Instant at,
        String metric,
        String query,
        List<Double> values,
        int valueCount,
        Status phase,
        String message) implements Serializable {

    public static final int MAX_VALUES = 10;

    public MeasurementRecord {
        values = List.copyOf(values.size() > MAX_VALUES ? values.subList(0, MAX_VALUES) : values);
    }

    static MeasurementRecord of(Instant at, String metric, String query, List<Double> values, Status phase,
            String message) {
        return new MeasurementRecord(at, metric, query, values, values.size(), phase, message);
    }
}
