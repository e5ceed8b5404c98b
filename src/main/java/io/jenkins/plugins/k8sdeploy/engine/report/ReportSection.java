package io.jenkins.plugins.k8sdeploy.engine.report;

import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Analysis;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.MeasurementRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.ScoreRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Summary;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.TimelineRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One rollout of a report as text ready to show: every cell formatted ({@link Formats}: times in UTC and from the
 * start, durations, numbers), the chart ({@link ReportChart}: {@link ChartGeometry}'s coordinates as SVG numbers,
 * with labels and tooltips), and no markup at all. Two
 * renderers write the same section from it: {@link HtmlReport} (the standalone report, escaping as it writes) and the
 * Jenkins rollout page ({@code RolloutView/index.jelly}, which escapes by default), so the page and the report say
 * the same and neither writes HTML it did not build itself.
 *
 * <p>Strings are never null (an absent value is the empty string) and hold no character HTML forbids (controls and
 * lone surrogates are U+FFFD); they are otherwise exactly what the record said, so a renderer must escape them.
 * Accessors are record accessors; Jelly calls them as methods ({@code ${row.at()}}).
 *
 * <pre>{@code
 * ReportSection s = ReportSection.of(ReportModel.of(record).rollouts().get(0), 1);
 * s.timeline().forEach(row -> System.out.println(row.at() + " " + row.message()));
 * }</pre>
 */
public record ReportSection(
        String id,
        String heading,
        String strategy,
        Badge outcome,
        SummaryTable summary,
        Chart chart,
        List<WeightRow> weights,
        List<ApprovalRow> approvals,
        List<StopRow> stops,
        String failure,
        List<AnalysisPart> analyses,
        List<TimelineEntry> timeline) {

    /** An outcome or verdict as a badge: its text and its classes ({@code outcome outcome-FAILED}). */
    public record Badge(String text, String cssClass) {}

    /** A time as UTC ISO 8601 and as seconds from the rollout's start ({@code +14.3 s}); both empty for none. */
    public record Time(String iso, String relative) {}

    /** The summary table's values. */
    public record SummaryTable(String server, String namespace, String app, String strategy, String fromImages,
            String toImages, String started, Time finished, String duration, String durationSeconds,
            String apiRequests, List<String> workloads) {}

    /** A weight the canary held: {@code 20%} from a time until another, set by an event type. */
    public record WeightRow(String weight, Time from, Time until, String held, String setBy) {}

    /** An approval gate: when asked, at what weight, how it ended and when, what it asked and what was decided. */
    public record ApprovalRow(Time requested, String weight, String outcome, String outcomeClass, Time decided,
            String waited, String request, String decision) {}

    /** An abort, switch back, supersession or rollback; the detail is the row's tooltip. */
    public record StopRow(Time at, String kind, String reason, String detail) {}

    /** One analysis: its name, verdict badge (null when it has none), message, judge scores and measurements. */
    public record AnalysisPart(String name, Badge verdict, String message, List<Score> scores,
            List<Measurement> measurements) {}

    /** A judge's score; the score is an en dash when the judge gave none. */
    public record Score(Time at, String judge, String score, String verdict, String why) {}

    /** One measurement of a metric. */
    public record Measurement(Time at, String metric, String query, String value, String verdict) {}

    /** One line of the timeline. */
    public record TimelineEntry(Time at, String type, String weight, String message) {}

    /**
     * The chart, in SVG user units of a {@code 0 0 1000 270} view box: the plot spans x 60-960 and y 20-220 (the
     * frame's numbers are fields so a template needs no arithmetic).
     */
    public record Chart(String label, String title, Frame frame, List<Band> bands, List<VerticalLine> stops,
            List<GridLine> grid, boolean rightAxis, String unit, List<Tick> ticks, List<SeriesLine> series,
            String weightPoints, List<Dot> weightDots, List<Key> keys) {}

    /** Where things go: the view box, the plot's edges and the places of the axes' titles. */
    public record Frame(int width, int height, int left, int right, int top, int bottom, String viewBox,
            int leftLabelX, int rightLabelX, int middleY, String leftTitleTransform, int unitX, int tickEndY,
            int tickLabelY, int clockY, int timeTitleY) {
        static final Frame STANDARD = frame();

        private static Frame frame() {
            int middle = (ChartGeometry.PLOT_TOP + ChartGeometry.PLOT_BOTTOM) / 2;
            return new Frame(ChartGeometry.VIEW_W, ChartGeometry.VIEW_H, ChartGeometry.PLOT_LEFT,
                    ChartGeometry.PLOT_RIGHT, ChartGeometry.PLOT_TOP, ChartGeometry.PLOT_BOTTOM,
                    "0 0 " + ChartGeometry.VIEW_W + " " + ChartGeometry.VIEW_H, ChartGeometry.PLOT_LEFT - 6,
                    ChartGeometry.PLOT_RIGHT + 6, middle, "rotate(-90 14 " + middle + ")", ChartGeometry.VIEW_W - 2,
                    ChartGeometry.PLOT_BOTTOM + 5, ChartGeometry.PLOT_BOTTOM + 18, ChartGeometry.PLOT_BOTTOM + 32,
                    ChartGeometry.VIEW_H - 4);
        }
    }

    /** A pause or an approval wait behind the lines ({@code band-pause}, {@code band-approval}). */
    public record Band(String cssClass, String x, String width, String title) {}

    /** A dashed vertical line across the plot at x. */
    public record VerticalLine(String x, String title) {}

    /** A horizontal grid line at a weight (0, 25, ... 100 %), its label, and the second axis' label there. */
    public record GridLine(String y, String labelY, String label, String rightLabel) {}

    /** A tick on the time axis: seconds from the start and the UTC clock. */
    public record Tick(String x, String label, String clock) {}

    /** An analysis' series on the second axis; dots only when it has at most 200 points. */
    public record SeriesLine(int number, String colour, String dash, String points, String title, List<Dot> dots) {}

    /** A point with its tooltip. */
    public record Dot(String cx, String cy, String title) {}

    /** An entry of the legend: the swatch's classes and the text. */
    public record Key(String swatchClass, String text) {}

    /** The section of rollout number {@code n} (its id is {@code rollout-n}). */
    public static ReportSection of(Rollout r, int n) {
        Summary s = r.summary();
        return new ReportSection("rollout-" + n, text(s.app() == null || s.app().isEmpty() ? "Deploy" : s.app()),
                text(s.strategy()), badge(s.outcome()), summary(r), ReportChart.of(r), weights(r), approvals(r),
                stops(r), r.failure() == null || r.failure().isBlank() ? null : text(r.failure()), analyses(r),
                timeline(r));
    }

    private static SummaryTable summary(Rollout r) {
        Summary s = r.summary();
        return new SummaryTable(text(s.server()), text(s.namespace()), text(s.app()), text(s.strategy()),
                text(String.join(", ", s.fromImages())), text(String.join(", ", s.toImages())),
                Formats.iso(s.started()), time(r, s.finished()),
                Formats.duration(Duration.ofMillis(s.durationMillis())),
                "(" + Formats.seconds(s.durationMillis() / 1000.0) + " s)", Long.toString(s.apiRequests()),
                s.workloads().stream().map(ReportSection::text).toList());
    }

    static Badge badge(String outcome) {
        return new Badge(text(outcome == null ? "UNKNOWN" : outcome), "outcome outcome-" + HtmlEscaper.token(outcome));
    }

    private static Time time(Rollout r, Instant at) {
        return new Time(Formats.iso(at), Formats.relative(r, at));
    }

    // --- the tables ---

    private static List<WeightRow> weights(Rollout r) {
        return r.weights().stream().map(w -> new WeightRow(w.weight() + "%", time(r, w.from()), time(r, w.until()),
                Formats.duration(w.held()), text(w.type()))).toList();
    }

    private static List<ApprovalRow> approvals(Rollout r) {
        return r.approvals().stream().map(a -> new ApprovalRow(time(r, a.requested()),
                a.weight() == null ? "" : a.weight() + "%", text(a.outcome()),
                "approval-" + HtmlEscaper.token(a.outcome()), time(r, a.decided()),
                a.waited() == null ? "" : Formats.duration(a.waited()), text(a.request()), text(a.decision())))
                .toList();
    }

    private static List<StopRow> stops(Rollout r) {
        return r.stops().stream().map(s -> new StopRow(time(r, s.at()), text(s.kind()), text(s.reason()),
                text(s.detail()))).toList();
    }

    private static List<AnalysisPart> analyses(Rollout r) {
        List<AnalysisPart> parts = new ArrayList<>();
        for (Analysis a : r.analyses()) {
            List<Score> scores = new ArrayList<>();
            for (ScoreRow s : a.scores()) {
                scores.add(new Score(time(r, s.at()), text(s.judge()),
                        s.score() == null ? "\u2013" : Formats.number(s.score()), text(s.verdict()),
                        text(s.message())));
            }
            List<Measurement> measurements = new ArrayList<>();
            for (MeasurementRow m : a.measurements()) {
                measurements.add(new Measurement(time(r, m.at()), text(m.metric()), text(m.query()),
                        text(m.value()), text(m.verdict())));
            }
            parts.add(new AnalysisPart(text(a.name()), a.verdict() == null ? null : badge(a.verdict()),
                    a.message() == null || a.message().isBlank() ? "" : text(a.message()), scores, measurements));
        }
        return parts;
    }

    private static List<TimelineEntry> timeline(Rollout r) {
        List<TimelineEntry> rows = new ArrayList<>();
        for (TimelineRow t : r.timeline()) {
            rows.add(new TimelineEntry(time(r, t.at()), text(t.type()), t.weight() == null ? "" : t.weight() + "%",
                    text(t.message())));
        }
        return rows;
    }

    /** The string as text HTML may hold: null is empty, controls and lone surrogates are U+FFFD. */
    static String text(String s) {
        return HtmlEscaper.clean(s);
    }
}
