package io.jenkins.plugins.k8sdeploy.engine.report;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.WorkloadResult;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a rollout report shows, as plain data: one {@link Rollout} per {@link DeployRecord}, each with its summary,
 * timeline, canary weight over time, approvals, aborts and rollbacks, and failure. {@link HtmlReport} renders it; the
 * Jenkins build page can show the same model.
 *
 * <pre>{@code
 * ReportModel model = ReportModel.of("web to production", List.of(record));
 * model.rollouts().get(0).weights();   // [0% 0..30 s, 20% 30..360 s, 50% 360..898 s, 100% 898..900 s]
 * String html = HtmlReport.render(model);
 * }</pre>
 *
 * <p><b>Extension point for analysis.</b> Measurements, judge scores and extra numeric series over time (error rate
 * per track, latency, the judge's score) come in as {@link Analysis} values through
 * {@link Rollout#withAnalysis(Analysis)} (or {@link #withAnalysis(int, Analysis)}): generic {@link Series},
 * {@link MeasurementRow} and {@link ScoreRow} records, so the renderer draws them (series on the chart's second axis,
 * tables below it) without knowing where they came from. The model knows nothing of the analysis classes; whoever
 * has an analysis record maps it to these.
 *
 * @param title what the report is about, shown as its heading (escaped like any other string)
 */
public record ReportModel(String title, List<Rollout> rollouts) implements Serializable {

    public ReportModel {
        title = title == null || title.isBlank() ? "Rollout report" : title;
        rollouts = List.copyOf(rollouts);
    }

    /** The report of {@code records}, in the given order. */
    public static ReportModel of(String title, List<DeployRecord> records) {
        return new ReportModel(title, records.stream().map(Rollout::from).toList());
    }

    public static ReportModel of(DeployRecord... records) {
        return of(null, Arrays.asList(records));
    }

    /** This model with {@code analysis} added to its rollout number {@code rollout} (0-based). */
    public ReportModel withAnalysis(int rollout, Analysis analysis) {
        List<Rollout> copy = new ArrayList<>(rollouts);
        copy.set(rollout, copy.get(rollout).withAnalysis(analysis));
        return new ReportModel(title, copy);
    }

    /**
     * One rollout (one deploy record).
     *
     * @param weights the canary's share of traffic as steps: each holds from its event until the next event that
     *     changes it (the last until the end of the rollout); empty for a rolling deploy
     * @param pauses each PAUSE until the event that ended it (RESUME, PROMOTE, ABORT, ...) or the end of the rollout
     * @param stops aborts, switches back, supersessions and rollbacks, with their reasons
     * @param failure the record's failure text, or null
     * @param analyses the extension point: measurements, scores and extra series; empty until someone adds one
     */
    public record Rollout(
            Summary summary,
            List<TimelineRow> timeline,
            List<WeightStep> weights,
            List<Pause> pauses,
            List<Approval> approvals,
            List<Stop> stops,
            String failure,
            List<Analysis> analyses) implements Serializable {

        public Rollout {
            Objects.requireNonNull(summary, "summary");
            timeline = List.copyOf(timeline);
            weights = List.copyOf(weights);
            pauses = List.copyOf(pauses);
            approvals = List.copyOf(approvals);
            stops = List.copyOf(stops);
            analyses = List.copyOf(analyses);
        }

        /** Everything the report shows of {@code record}. */
        public static Rollout from(DeployRecord record) {
            List<StrategyEvent> events = record.events().stream()
                    .filter(e -> e != null && e.at() != null)
                    .sorted(Comparator.comparing(StrategyEvent::at))
                    .toList();
            List<TimelineEntry> entries = record.timeline() == null ? List.of()
                    : record.timeline().stream().filter(t -> t != null && t.at() != null).toList();
            Instant start = record.started() != null ? record.started()
                    : Stream.concat(events.stream().map(StrategyEvent::at), entries.stream().map(TimelineEntry::at))
                            .min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
            Instant end = Stream.of(Stream.of(record.finished(), start), events.stream().map(StrategyEvent::at),
                            entries.stream().map(TimelineEntry::at))
                    .flatMap(s -> s)
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(start);
            return new Rollout(summary(record, start, end), EventSteps.timeline(entries, events),
                    EventSteps.weights(events, end), EventSteps.pauses(events, end), EventSteps.approvals(events),
                    EventSteps.stops(events, record.rollbacks()), record.failure(), List.of());
        }

        /** This rollout with one more analysis: the extension point for measurements, scores and extra series. */
        public Rollout withAnalysis(Analysis analysis) {
            List<Analysis> more = new ArrayList<>(analyses);
            more.add(Objects.requireNonNull(analysis, "analysis"));
            return new Rollout(summary, timeline, weights, pauses, approvals, stops, failure, more);
        }

        /** Every analysis's extra series, in order: the chart's second axis. */
        public List<Series> series() {
            return analyses.stream().flatMap(a -> a.series().stream()).toList();
        }

        /** Every analysis's measurements, by time. */
        public List<MeasurementRow> measurements() {
            return analyses.stream().flatMap(a -> a.measurements().stream())
                    .sorted(Comparator.comparing(MeasurementRow::at, Comparator.nullsLast(Comparator.naturalOrder())))
                    .toList();
        }

        /** Every analysis's judge scores, by time. */
        public List<ScoreRow> scores() {
            return analyses.stream().flatMap(a -> a.scores().stream())
                    .sorted(Comparator.comparing(ScoreRow::at, Comparator.nullsLast(Comparator.naturalOrder())))
                    .toList();
        }

        /** Seconds from the start of the rollout to {@code at} (negative before it). */
        public double secondsFromStart(Instant at) {
            return Duration.between(summary.started(), at).toMillis() / 1000.0;
        }

        /** The canary's weight at {@code at}, or null before the first event that set one. */
        public Integer weightAt(Instant at) {
            Integer w = null;
            for (WeightStep s : weights) {
                if (!at.isBefore(s.from())) {
                    w = s.weight();
                }
            }
            return w;
        }

        private static Summary summary(DeployRecord r, Instant start, Instant end) {
            List<WorkloadResult> workloads = r.workloads() == null ? List.of() : r.workloads();
            List<WorkloadResult> mine = r.app() == null ? workloads
                    : workloads.stream().filter(w -> r.app().equals(w.name())).toList();
            if (mine.isEmpty()) {
                mine = workloads;
            }
            Set<String> namespaces = new LinkedHashSet<>();
            Set<String> from = new LinkedHashSet<>();
            Set<String> to = new LinkedHashSet<>();
            for (WorkloadResult w : mine) {
                if (w.namespace() != null) {
                    namespaces.add(w.namespace());
                }
                from.addAll(w.imagesBefore() == null ? List.of() : w.imagesBefore());
                to.addAll(w.imagesAfter() == null ? List.of() : w.imagesAfter());
            }
            if (namespaces.isEmpty() && r.objects() != null) {
                r.objects().stream().map(DeployRecord.ObjectChange::namespace).filter(Objects::nonNull)
                        .forEach(namespaces::add);
            }
            String app = r.app() != null ? r.app()
                    : String.join(", ", workloads.stream().map(w -> w.kind() + "/" + w.name()).toList());
            long duration = r.started() != null && r.finished() != null ? r.durationMillis()
                    : Duration.between(start, end).toMillis();
            String outcome = r.outcome() == null ? null : r.outcome().name();
            return new Summary(r.server(), String.join(", ", namespaces), app, r.strategy().label(), List.copyOf(from),
                    List.copyOf(to), outcome, start, end, duration, r.apiRequests(),
                    workloads.stream().map(w -> w.kind() + "/" + w.name() + ": " + w.status()
                            + (w.message() == null || w.message().isBlank() ? "" : " (" + w.message() + ")"))
                            .toList());
        }
    }

    /**
     * The header of one rollout.
     *
     * @param namespace the namespaces of the rollout's workloads (comma-separated), or of its objects
     * @param app the canary or blue-green app, or the workloads of a rolling deploy
     * @param fromImages the images before (for a canary, the stable version's)
     * @param toImages the images after (the new version's)
     * @param started the record's start (or its first event's time when it has none): time 0 of the report
     * @param finished the end of the rollout, at least its last event
     * @param workloads each workload with its status, one line each
     */
    public record Summary(
            String server,
            String namespace,
            String app,
            String strategy,
            List<String> fromImages,
            List<String> toImages,
            String outcome,
            Instant started,
            Instant finished,
            long durationMillis,
            long apiRequests,
            List<String> workloads) implements Serializable {

        public Summary {
            fromImages = List.copyOf(fromImages);
            toImages = List.copyOf(toImages);
            workloads = List.copyOf(workloads);
        }
    }

    /**
     * One line of the timeline.
     *
     * @param type the strategy event it logged (START, WEIGHT, ...), or null for a plain log line
     * @param weight the event's weight, or null
     */
    public record TimelineRow(Instant at, String type, Integer weight, String message) implements Serializable {}

    /**
     * The canary held {@code weight} percent of traffic from {@code from} until {@code until}.
     *
     * @param type the event that set it (START, WEIGHT, PROMOTED, ABORT, SWITCH, ...)
     */
    public record WeightStep(Instant from, Instant until, int weight, String type) implements Serializable {
        public Duration held() {
            return Duration.between(from, until);
        }
    }

    /** A pause of the plan, from its PAUSE event until the next event of another kind (or the end of the rollout). */
    public record Pause(Instant from, Instant until, Integer weight, String detail) implements Serializable {
        public Duration held() {
            return Duration.between(from, until);
        }
    }

    /**
     * One approval gate.
     *
     * @param decided when it was approved or refused; null while pending
     * @param outcome {@link #APPROVED}, {@link #REFUSED} (aborted or superseded while waiting) or {@link #PENDING}
     * @param request what the gate asked (the APPROVAL_WAIT event's detail)
     * @param decision what decided it (the APPROVED, PROMOTE or ABORT event's detail), or null
     */
    public record Approval(Instant requested, Instant decided, Integer weight, String outcome, String request,
            String decision) implements Serializable {
        public static final String APPROVED = "approved";
        public static final String REFUSED = "refused";
        public static final String PENDING = "pending";

        static Approval of(StrategyEvent wait, StrategyEvent decision, String outcome) {
            return new Approval(wait == null ? null : wait.at(), decision == null ? null : decision.at(),
                    wait != null ? wait.weight() : decision == null ? null : decision.weight(), outcome,
                    wait == null ? null : wait.detail(), decision == null ? null : decision.detail());
        }

        /** How long the gate waited; null while pending or when its request is not in the record. */
        public Duration waited() {
            return requested == null || decided == null ? null : Duration.between(requested, decided);
        }
    }

    /**
     * An abort, a switch back, a supersession or a rollback.
     *
     * @param at when; null for a rollback line of the record, which has no time
     * @param kind {@link #ABORT}, {@link #SWITCH_BACK}, {@link #SUPERSEDED} or {@link #ROLLBACK}
     * @param reason why: the event's reason, or (in older records) the part after "Reason: " in its detail, else
     *     the whole text
     * @param detail the full text
     */
    public record Stop(Instant at, String kind, String reason, String detail) implements Serializable {
        public static final String ABORT = "abort";
        public static final String SWITCH_BACK = "switch back";
        public static final String SUPERSEDED = "superseded";
        public static final String ROLLBACK = "rollback";
    }

    // --- the extension point for analysis: generic, so the renderer needs no change when analyses grow ---

    /**
     * What one analysis adds to a rollout's report.
     *
     * <pre>{@code
     * new ReportModel.Analysis("error-rate", "FAILED", "metric 'error-rate' failed 3 times",
     *         List.of(new Series("error rate (canary)", "%", points)),
     *         List.of(new MeasurementRow(at, "error-rate", "sum(rate(...))", "0.12", "FAILED")),
     *         List.of(new ScoreRow(at, "judge", 35.0, "FAILED", "critical metric 'errors' is HIGH")));
     * }</pre>
     *
     * @param verdict the analysis's result (SUCCESSFUL, FAILED, INCONCLUSIVE, ...), or null while it runs
     * @param series numeric series over time, drawn on the chart's second axis
     * @param measurements one row per measurement (kept in time order)
     * @param scores the judge's scores (kept in time order)
     */
    public record Analysis(String name, String verdict, String message, List<Series> series,
            List<MeasurementRow> measurements, List<ScoreRow> scores) implements Serializable {
        public Analysis {
            series = series == null ? List.of() : List.copyOf(series);
            measurements = measurements == null ? List.of() : measurements.stream()
                    .sorted(Comparator.comparing(MeasurementRow::at, Comparator.nullsLast(Comparator.naturalOrder())))
                    .toList();
            scores = scores == null ? List.of() : scores.stream()
                    .sorted(Comparator.comparing(ScoreRow::at, Comparator.nullsLast(Comparator.naturalOrder())))
                    .toList();
        }
    }

    /**
     * Numbers over time, e.g. the error rate of one track.
     *
     * @param unit shown on the second axis and in the legend ("%", "ms", "req/s"); may be empty
     */
    public record Series(String name, String unit, List<Point> points) implements Serializable {
        public Series {
            points = points.stream().filter(p -> p.at() != null && Double.isFinite(p.value()))
                    .sorted(Comparator.comparing(Point::at)).toList();
        }
    }

    public record Point(Instant at, double value) implements Serializable {}

    /**
     * One measurement: when, which metric, the query as sent, what came back (as text: one value, several, or an
     * error) and its verdict.
     */
    public record MeasurementRow(Instant at, String metric, String query, String value, String verdict)
            implements Serializable {}

    /**
     * One judge's score.
     *
     * @param score 0..100, or null when there was not enough data
     */
    public record ScoreRow(Instant at, String judge, Double score, String verdict, String message)
            implements Serializable {}
}
