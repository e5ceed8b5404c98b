package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What one analysis did, as plain data for the deploy record and the build page: the verdict, each metric's counts,
 * the judge's report and every measurement. Taken from a run with {@link AnalysisRun#record()} at any time.
 *
 * <pre>{@code
 * AnalysisRecord r = run.record();
 * r.status();        // FAILED
 * r.message();       // "metric 'error-rate' failed 3 times, more than failureLimit 2; last: query ... returned [0.12]"
 * r.metrics();       // error-rate FAILED 3 measured: 0 successful, 3 failed, 0 inconclusive, 0 errors
 * r.measurements();  // every query, value and verdict
 * }</pre>
 *
 * @param finished null while the analysis runs
 * @param judge the judge's latest report, or null when the analysis has no judge or it has not judged yet
 */
public record AnalysisRecord(
        String name,
        Status status,
        String message,
        Instant started,
        Instant finished,
        List<Metric> metrics,
        JudgeReport judge,
        List<MeasurementRecord> measurements) implements Serializable {

    public AnalysisRecord {
        metrics = List.copyOf(metrics);
        measurements = List.copyOf(measurements);
    }

    /**
     * Where one metric stands.
     *
     * @param measured measurements that returned values (what {@code count} counts)
     * @param count the metric's {@code count} (0: as long as the others run)
     */
    public record Metric(
            String name,
            String provider,
            String query,
            Status status,
            int count,
            int measured,
            int successful,
            int failed,
            int inconclusive,
            int errors,
            int consecutiveErrors,
            String message) implements Serializable {}
}
