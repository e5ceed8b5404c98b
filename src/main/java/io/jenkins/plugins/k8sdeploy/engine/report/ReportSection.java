package io.jenkins.plugins.k8sdeploy.engine.report;

import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Analysis;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Approval;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.MeasurementRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Pause;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Point;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.ScoreRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Series;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Stop;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Summary;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.TimelineRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.WeightStep;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One rollout of a report as text ready to show: every cell formatted (times in UTC and from the start, durations,
 * numbers), the chart's geometry computed (coordinates as SVG numbers, labels, tooltips), and no markup at all. Two
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

    private static final String[] SERIES_COLOURS = {"#cf222e", "#9a6700", "#8250df", "#1a7f37", "#bf3989"};
    private static final String[] SERIES_DASHES = {"6 3", "2 3", "8 3 2 3", "4 4", "1 2"};
    private static final long[] TICK_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
        21600, 43200, 86400};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

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
            int middle = (HtmlReport.PLOT_TOP + HtmlReport.PLOT_BOTTOM) / 2;
            return new Frame(HtmlReport.VIEW_W, HtmlReport.VIEW_H, HtmlReport.PLOT_LEFT, HtmlReport.PLOT_RIGHT,
                    HtmlReport.PLOT_TOP, HtmlReport.PLOT_BOTTOM, "0 0 " + HtmlReport.VIEW_W + " " + HtmlReport.VIEW_H,
                    HtmlReport.PLOT_LEFT - 6, HtmlReport.PLOT_RIGHT + 6, middle, "rotate(-90 14 " + middle + ")",
                    HtmlReport.VIEW_W - 2, HtmlReport.PLOT_BOTTOM + 5, HtmlReport.PLOT_BOTTOM + 18,
                    HtmlReport.PLOT_BOTTOM + 32, HtmlReport.VIEW_H - 4);
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
                text(s.strategy()), badge(s.outcome()), summary(r), chart(r), weights(r), approvals(r), stops(r),
                r.failure() == null || r.failure().isBlank() ? null : text(r.failure()), analyses(r), timeline(r));
    }

    private static SummaryTable summary(Rollout r) {
        Summary s = r.summary();
        return new SummaryTable(text(s.server()), text(s.namespace()), text(s.app()), text(s.strategy()),
                text(String.join(", ", s.fromImages())), text(String.join(", ", s.toImages())),
                HtmlReport.iso(s.started()), time(r, s.finished()),
                HtmlReport.duration(Duration.ofMillis(s.durationMillis())),
                "(" + HtmlReport.seconds(s.durationMillis() / 1000.0) + " s)", Long.toString(s.apiRequests()),
                s.workloads().stream().map(ReportSection::text).toList());
    }

    static Badge badge(String outcome) {
        return new Badge(text(outcome == null ? "UNKNOWN" : outcome), "outcome outcome-" + HtmlEscaper.token(outcome));
    }

    private static Time time(Rollout r, Instant at) {
        return new Time(HtmlReport.iso(at), HtmlReport.relative(r, at));
    }

    // --- the chart ---

    private static Chart chart(Rollout r) {
        List<Series> series = r.series();
        if (r.weights().isEmpty() && series.stream().allMatch(x -> x.points().isEmpty())) {
            return null;
        }
        double span = HtmlReport.span(r);
        double right = HtmlReport.rightMax(series);
        String unit = String.join(", ", series.stream().map(Series::unit).filter(u -> u != null && !u.isBlank())
                .distinct().toList());
        List<GridLine> grid = new ArrayList<>();
        for (int p = 0; p <= 100; p += 25) {
            double y = HtmlReport.yWeight(p);
            grid.add(new GridLine(HtmlReport.coord(y), HtmlReport.coord(y + 4), p + "%",
                    series.isEmpty() ? "" : HtmlReport.number(right * p / 100.0)));
        }
        List<Tick> ticks = new ArrayList<>();
        long step = tickStep(span);
        for (long t = 0; t <= span + 1e-9; t += step) {
            ticks.add(new Tick(HtmlReport.coord(HtmlReport.x(t, span)), tickLabel(t),
                    CLOCK.format(r.summary().started().plusSeconds(t))));
        }
        List<SeriesLine> lines = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            Series sr = series.get(i);
            String colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
            List<String> pts = new ArrayList<>();
            List<Dot> dots = new ArrayList<>();
            for (Point p : sr.points()) {
                String cx = HtmlReport.coord(HtmlReport.x(r.secondsFromStart(p.at()), span));
                String cy = HtmlReport.coord(yRight(p.value(), right));
                pts.add(cx + "," + cy);
                if (sr.points().size() <= 200) {
                    dots.add(new Dot(cx, cy, text(sr.name() + ": " + HtmlReport.number(p.value())
                            + unitSuffix(sr.unit()) + " at " + HtmlReport.iso(p.at()) + " "
                            + HtmlReport.relative(r, p.at()))));
                }
            }
            lines.add(new SeriesLine(i + 1, colour, SERIES_DASHES[i % SERIES_DASHES.length], String.join(" ", pts),
                    text(sr.name() + (sr.unit() == null || sr.unit().isBlank() ? "" : " (" + sr.unit() + ")")),
                    dots));
        }
        List<Dot> weightDots = new ArrayList<>();
        for (WeightStep w : r.weights()) {
            weightDots.add(new Dot(HtmlReport.coord(HtmlReport.x(r.secondsFromStart(w.from()), span)),
                    HtmlReport.coord(HtmlReport.yWeight(w.weight())), text(w.weight() + "% at "
                            + HtmlReport.iso(w.from()) + " " + HtmlReport.relative(r, w.from()) + " (" + w.type()
                            + ")")));
        }
        String app = r.summary().app() == null ? "null" : r.summary().app();
        return new Chart(text("Canary weight over time for " + app), text("Canary weight over time: " + app),
                Frame.STANDARD, bands(r, span), stopLines(r, span), grid, !series.isEmpty(),
                text(unit.isEmpty() ? "value" : unit), ticks, lines,
                r.weights().isEmpty() ? null : HtmlReport.weightPoints(r, span), weightDots, keys(r, series));
    }

    private static List<Band> bands(Rollout r, double span) {
        List<Band> bands = new ArrayList<>();
        for (Pause p : r.pauses()) {
            bands.add(band(r, span, "band-pause", p.from(), p.until(), "Paused" + (p.weight() == null ? ""
                    : " at " + p.weight() + "%") + " for " + HtmlReport.duration(p.held()) + ": " + p.detail()));
        }
        for (Approval a : r.approvals()) {
            if (a.requested() != null) {
                Instant until = a.decided() != null ? a.decided() : r.summary().finished();
                bands.add(band(r, span, "band-approval", a.requested(), until, "Waiting for approval ("
                        + a.outcome() + ") for " + HtmlReport.duration(Duration.between(a.requested(), until))
                        + ": " + a.request()));
            }
        }
        return bands;
    }

    private static Band band(Rollout r, double span, String cssClass, Instant from, Instant until, String title) {
        double x0 = HtmlReport.x(r.secondsFromStart(from), span);
        double x1 = HtmlReport.x(r.secondsFromStart(until), span);
        return new Band(cssClass, HtmlReport.coord(x0), HtmlReport.coord(Math.max(1, x1 - x0)), text(title));
    }

    private static List<VerticalLine> stopLines(Rollout r, double span) {
        List<VerticalLine> lines = new ArrayList<>();
        for (Stop s : r.stops()) {
            if (s.at() != null) {
                lines.add(new VerticalLine(HtmlReport.coord(HtmlReport.x(r.secondsFromStart(s.at()), span)),
                        text(s.kind() + " at " + HtmlReport.iso(s.at()) + " " + HtmlReport.relative(r, s.at())
                                + ": " + s.reason())));
            }
        }
        return lines;
    }

    private static List<Key> keys(Rollout r, List<Series> series) {
        List<Key> keys = new ArrayList<>();
        if (!r.weights().isEmpty()) {
            keys.add(new Key("swatch weight-swatch", "canary weight (left axis, %)"));
        }
        if (!r.pauses().isEmpty()) {
            keys.add(new Key("block pause-block", "paused"));
        }
        if (r.approvals().stream().anyMatch(a -> a.requested() != null)) {
            keys.add(new Key("block approval-block", "waiting for approval"));
        }
        if (r.stops().stream().anyMatch(x -> x.at() != null)) {
            keys.add(new Key("swatch stop-swatch", "abort, switch back or supersession"));
        }
        for (int i = 0; i < series.size(); i++) {
            Series sr = series.get(i);
            // A class, not a style attribute: Jenkins' Content-Security-Policy blocks inline styles.
            keys.add(new Key("swatch series-" + i % SERIES_COLOURS.length, text(sr.name()
                    + (sr.unit() == null || sr.unit().isBlank() ? "" : " (" + sr.unit() + ")") + " (right axis)")));
        }
        return keys;
    }

    private static double yRight(double value, double max) {
        return HtmlReport.PLOT_BOTTOM - (HtmlReport.PLOT_BOTTOM - HtmlReport.PLOT_TOP)
                * Math.max(0, Math.min(max, value)) / max;
    }

    private static long tickStep(double span) {
        for (long s : TICK_STEPS) {
            if (span / s <= 8) {
                return s;
            }
        }
        return (long) Math.ceil(span / 8 / 86400) * 86400;
    }

    private static String tickLabel(long t) {
        if (t == 0) {
            return "0";
        }
        if (t < 60) {
            return "+" + t + "s";
        }
        if (t < 3600) {
            return "+" + t / 60 + "m" + (t % 60 == 0 ? "" : String.format(java.util.Locale.ROOT, " %02ds", t % 60));
        }
        return "+" + t / 3600 + "h" + (t % 3600 == 0 ? ""
                : String.format(java.util.Locale.ROOT, " %02dm", t % 3600 / 60));
    }

    private static String unitSuffix(String unit) {
        return unit == null || unit.isBlank() ? "" : unit.equals("%") ? "%" : " " + unit;
    }

    // --- the tables ---

    private static List<WeightRow> weights(Rollout r) {
        return r.weights().stream().map(w -> new WeightRow(w.weight() + "%", time(r, w.from()), time(r, w.until()),
                HtmlReport.duration(w.held()), text(w.type()))).toList();
    }

    private static List<ApprovalRow> approvals(Rollout r) {
        return r.approvals().stream().map(a -> new ApprovalRow(time(r, a.requested()),
                a.weight() == null ? "" : a.weight() + "%", text(a.outcome()),
                "approval-" + HtmlEscaper.token(a.outcome()), time(r, a.decided()),
                a.waited() == null ? "" : HtmlReport.duration(a.waited()), text(a.request()), text(a.decision())))
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
                        s.score() == null ? "\u2013" : HtmlReport.number(s.score()), text(s.verdict()),
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
