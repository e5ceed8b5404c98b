package io.jenkins.plugins.k8sdeploy.engine.report;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Analysis;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.MeasurementRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Point;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.ScoreRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Series;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Maps the analyses of a deploy record ({@link DeployRecord#analyses()}) onto the report model's extension point, so
 * a report shows each analysis's verdict, its measurements (with the one that decided a failed analysis marked), the
 * judge's score, and every metric's values over time on the chart's second axis.
 *
 * <pre>{@code
 * ReportModel model = AnalysisReports.model("web, 14 March", List.of(v2, v3), Map.of("canary-error-rate", "%"));
 * // v3's analysis 'errors': FAILED; series "canary-error-rate (%)" and "stable-error-rate (%)";
 * // 12:00:35Z canary-error-rate "100 * sum(rate(...))" 21.3  "FAILED (decided the analysis)"
 * String html = HtmlReport.render(model);
 * }</pre>
 *
 * <p>Series: one per metric, one point per measurement that returned a finite value (its only value, or the median of
 * the values kept when a range query returned several). The judge's samples ({@code judge/NAME/canary} and
 * {@code judge/NAME/stable}) become series of their own the same way.
 *
 * <p>Measurements: a metric's query is shown in full on its first row and on the deciding one, and as
 * {@value #SAME_QUERY} on the rows between that asked the same.
 *
 * <p>Timeline: see {@link #aligned}.
 */
public final class AnalysisReports {
    /** Appended to the verdict of the measurement that decided a failed, erred or inconclusive analysis. */
    public static final String DECIDING = " (decided the analysis)";
    /** Stands for the query when it is the one the metric's previous row showed. */
    public static final String SAME_QUERY = "(same query)";
    private static final int MAX_VALUES_SHOWN = 5;

    private AnalysisReports() {}

    /** The report of {@code records} with every analysis they hold; {@code units} by metric name, may be empty. */
    public static ReportModel model(String title, List<DeployRecord> records, Map<String, String> units) {
        return new ReportModel(title, records.stream().map(r -> rollout(r, units)).toList());
    }

    /** One rollout of the report, with the record's analyses added. */
    public static ReportModel.Rollout rollout(DeployRecord record, Map<String, String> units) {
        ReportModel.Rollout r = ReportModel.Rollout.from(aligned(record));
        for (AnalysisRecord a : record.analyses()) {
            if (a != null) {
                r = r.withAnalysis(of(a, units));
            }
        }
        return r;
    }

    /** How far apart an event and the timeline line that logged it may be (they are taken a moment apart). */
    static final Duration SAME_MOMENT = Duration.ofMillis(500);

    /**
     * The record with each timeline line that logged a strategy event given that event's time. Rollouts now write an
     * event and its line with one time, but records written before that took the two from the clock one after the
     * other, microseconds apart, and {@link ReportModel.Rollout#from} (which matches them by equal time and text)
     * would show such a step twice: once as the event and once as a plain line. Lines further apart than
     * {@link #SAME_MOMENT} are left as they are.
     */
    static DeployRecord aligned(DeployRecord r) {
        if (r.timeline() == null || r.events().isEmpty()) {
            return r;
        }
        List<StrategyEvent> unmatched = new ArrayList<>(r.events().stream()
                .filter(e -> e != null && e.at() != null).toList());
        List<TimelineEntry> timeline = new ArrayList<>();
        boolean changed = false;
        for (TimelineEntry t : r.timeline()) {
            StrategyEvent match = t == null || t.at() == null ? null : unmatched.stream()
                    .filter(e -> Objects.equals(e.detail(), t.message())
                            && Duration.between(e.at(), t.at()).abs().compareTo(SAME_MOMENT) <= 0)
                    .min(Comparator.comparing(e -> Duration.between(e.at(), t.at()).abs()))
                    .orElse(null);
            if (match != null) {
                unmatched.remove(match);
                changed |= !match.at().equals(t.at());
                timeline.add(new TimelineEntry(match.at(), t.message()));
            } else {
                timeline.add(t);
            }
        }
        return !changed ? r : new DeployRecord(r.server(), r.outcome(), r.started(), r.finished(), r.durationMillis(),
                r.apiRequests(), r.objects(), r.workloads(), r.rollbacks(), timeline, r.failure(), r.strategy(),
                r.app(), r.events(), r.analyses());
    }

    /**
     * One analysis as the report shows it.
     *
     * @param units the unit of each metric's values ("%", "ms"), shown on the chart's second axis; metrics not in it
     *     get none
     */
    public static Analysis of(AnalysisRecord a, Map<String, String> units) {
        Map<String, String> u = units == null ? Map.of() : units;
        List<MeasurementRecord> measurements = a.measurements() == null ? List.of() : a.measurements().stream()
                .filter(m -> m != null && m.at() != null)
                .sorted(Comparator.comparing(MeasurementRecord::at))
                .toList();
        MeasurementRecord deciding = deciding(a, measurements);
        Map<String, List<Point>> points = new LinkedHashMap<>();
        List<MeasurementRow> rows = new ArrayList<>();
        Map<String, String> lastQuery = new LinkedHashMap<>();
        for (MeasurementRecord m : measurements) {
            Double v = representative(m.values());
            if (v != null) {
                points.computeIfAbsent(String.valueOf(m.metric()), k -> new ArrayList<>()).add(new Point(m.at(), v));
            }
            String verdict = m.phase() == null ? "" : m.phase().name();
            boolean repeated = m.query() != null && m.query().equals(lastQuery.put(String.valueOf(m.metric()),
                    m.query()));
            String query = repeated && m != deciding ? SAME_QUERY : m.query();
            rows.add(new MeasurementRow(m.at(), m.metric(), query, value(m),
                    m == deciding ? verdict + DECIDING : verdict));
        }
        List<Series> series = new ArrayList<>();
        points.forEach((metric, p) -> series.add(new Series(metric, u.getOrDefault(metric, ""), p)));
        List<ScoreRow> scores = new ArrayList<>();
        if (a.judge() != null) {
            Instant at = a.finished() != null ? a.finished() : measurements.isEmpty() ? a.started()
                    : measurements.get(measurements.size() - 1).at();
            scores.add(new ScoreRow(at, "judge (round " + a.judge().round() + " of " + a.judge().rounds() + ")",
                    a.judge().score(), a.judge().status() == null ? null : a.judge().status().name(),
                    a.judge().message()));
        }
        return new Analysis(a.name(), a.status() == null ? null : a.status().name(), message(a), series, rows,
                scores);
    }

    /**
     * The measurement that decided a FAILED, ERROR or INCONCLUSIVE analysis: the last one with that verdict among the
     * metrics that ended with it. Null for a passed or running analysis, or one the judge decided.
     */
    public static MeasurementRecord deciding(AnalysisRecord a, List<MeasurementRecord> byTime) {
        Status s = a.status();
        if (s != Status.FAILED && s != Status.ERROR && s != Status.INCONCLUSIVE) {
            return null;
        }
        List<String> decidedBy = a.metrics() == null ? List.of() : a.metrics().stream()
                .filter(m -> m != null && m.status() == s).map(AnalysisRecord.Metric::name).toList();
        MeasurementRecord last = null;
        for (MeasurementRecord m : byTime) {
            if (m.phase() == s && decidedBy.contains(m.metric())) {
                last = m;
            }
        }
        return last;
    }

    /** The analysis's message, then each metric's standing. */
    private static String message(AnalysisRecord a) {
        StringBuilder out = new StringBuilder(Objects.requireNonNullElse(a.message(), ""));
        for (AnalysisRecord.Metric m : a.metrics() == null ? List.<AnalysisRecord.Metric>of() : a.metrics()) {
            if (m == null) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(out.toString().endsWith(".") ? " " : ". ");
            }
            out.append("Metric '").append(m.name()).append("': ").append(m.status() == null ? "?" : m.status().name())
                    .append(", ").append(m.measured()).append(" measured").append(m.count() > 0 ? " of " + m.count()
                            : "")
                    .append(" (").append(m.successful()).append(" successful, ").append(m.failed()).append(" failed, ")
                    .append(m.inconclusive()).append(" inconclusive, ").append(m.errors()).append(" errors).");
        }
        return out.toString();
    }

    /** What came back, as text: one value, the first few of several, or what went wrong. */
    static String value(MeasurementRecord m) {
        List<Double> values = m.values() == null ? List.of() : m.values();
        if (values.isEmpty()) {
            return m.phase() == Status.ERROR && m.message() != null ? "no value: " + m.message() : "no value";
        }
        if (values.size() == 1 && m.valueCount() <= 1) {
            return number(values.get(0));
        }
        List<String> shown = values.stream().limit(MAX_VALUES_SHOWN).map(AnalysisReports::number).toList();
        int count = Math.max(m.valueCount(), values.size());
        return "[" + String.join(", ", shown) + (count > shown.size() ? ", ..." : "") + "] (" + count + " values)";
    }

    /** The single value, or the median of several; null when none is finite. */
    static Double representative(List<Double> values) {
        if (values == null) {
            return null;
        }
        List<Double> finite = values.stream().filter(v -> v != null && Double.isFinite(v)).sorted().toList();
        if (finite.isEmpty()) {
            return null;
        }
        int n = finite.size();
        return n % 2 == 1 ? finite.get(n / 2) : (finite.get(n / 2 - 1) + finite.get(n / 2)) / 2;
    }

    /** At most four significant digits, no exponent. */
    public static String number(Double v) {
        if (v == null) {
            return "";
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
