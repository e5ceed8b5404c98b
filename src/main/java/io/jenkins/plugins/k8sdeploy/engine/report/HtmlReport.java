package io.jenkins.plugins.k8sdeploy.engine.report;

import static io.jenkins.plugins.k8sdeploy.engine.report.HtmlEscaper.escape;

import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Analysis;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Approval;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.MeasurementRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.ScoreRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Stop;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Summary;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.TimelineRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.WeightStep;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A {@link ReportModel} as one self-contained HTML5 document: inline CSS only (no script, font, image or stylesheet
 * from anywhere), readable at laptop width and printable. Per rollout: the summary, an inline SVG chart of the canary
 * weight over time (with the analyses' series on a second axis), the weight steps, approvals, aborts and rollbacks,
 * the failure, the analyses' scores and measurements, and the timeline. Times are UTC (ISO 8601) with seconds from the
 * rollout's start.
 *
 * <p>Every string from a record is escaped for where it goes ({@link HtmlEscaper}); the document also carries a
 * Content-Security-Policy that allows no script at all, in case a browser ever sees something the escaping missed.
 *
 * <pre>{@code
 * Files.writeString(Path.of("report.html"), HtmlReport.render(ReportModel.of(record)));
 * }</pre>
 */
public final class HtmlReport {
    /** The chart's drawing area in SVG user units (the SVG scales to the page width). */
    static final int VIEW_W = 1000;
    static final int VIEW_H = 270;
    static final int PLOT_LEFT = 60;
    static final int PLOT_RIGHT = 960;
    static final int PLOT_TOP = 20;
    static final int PLOT_BOTTOM = 220;

    private static final String[] SERIES_COLOURS = {"#cf222e", "#9a6700", "#8250df", "#1a7f37", "#bf3989"};
    private static final String[] SERIES_DASHES = {"6 3", "2 3", "8 3 2 3", "4 4", "1 2"};
    private static final long[] TICK_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
        21600, 43200, 86400};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(java.time.ZoneOffset.UTC);

    private HtmlReport() {}

    public static String render(ReportModel model) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<title>").append(escape(model.title())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<header>\n<h1>").append(escape(model.title())).append("</h1>\n");
        if (model.rollouts().size() > 1) {
            overview(h, model.rollouts());
        } else if (model.rollouts().isEmpty()) {
            h.append("<p class=\"none\">No rollout to report.</p>\n");
        }
        h.append("</header>\n");
        for (int i = 0; i < model.rollouts().size(); i++) {
            rollout(h, model.rollouts().get(i), i + 1);
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /**
     * One rollout as an HTML fragment, for a page that has its own document around it (the Jenkins build page): the
     * same {@code <section class="rollout">} that {@link #render} writes for it, with every record string escaped the
     * same way, and no {@code <html>}, {@code <head>}, style or script. The page styles it (the plugin's
     * {@code css/rollout.css} scopes the report's rules under {@code .k8spd-report}).
     *
     * @param n the rollout's number, for the section's id ({@code rollout-n})
     */
    public static String section(Rollout rollout, int n) {
        StringBuilder h = new StringBuilder(16_384);
        rollout(h, rollout, n);
        return h.toString();
    }

    private static void overview(StringBuilder h, List<Rollout> rollouts) {
        h.append("<table class=\"overview\">\n<thead><tr><th>#</th><th>App</th><th>Strategy</th><th>Outcome</th>")
                .append("<th>Started (UTC)</th><th class=\"num\">Duration</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < rollouts.size(); i++) {
            Summary s = rollouts.get(i).summary();
            h.append("<tr><td><a href=\"#rollout-").append(i + 1).append("\">").append(i + 1).append("</a></td><td>")
                    .append(escape(s.app())).append("</td><td>").append(escape(s.strategy())).append("</td><td>");
            outcome(h, s.outcome());
            h.append("</td><td class=\"time\">").append(iso(s.started())).append("</td><td class=\"num\">")
                    .append(duration(Duration.ofMillis(s.durationMillis()))).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void rollout(StringBuilder h, Rollout r, int n) {
        Summary s = r.summary();
        h.append("<section class=\"rollout\" id=\"rollout-").append(n).append("\">\n<h2>")
                .append(escape(s.app() == null || s.app().isEmpty() ? "Deploy" : s.app()))
                .append(" <span class=\"strategy\">").append(escape(s.strategy())).append("</span> ");
        outcome(h, s.outcome());
        h.append("</h2>\n");
        summary(h, r);
        chart(h, r);
        approvals(h, r);
        stops(h, r);
        if (r.failure() != null && !r.failure().isBlank()) {
            h.append("<h3>Failure</h3>\n<pre class=\"failure\">").append(escape(r.failure())).append("</pre>\n");
        }
        analyses(h, r);
        timeline(h, r);
        h.append("</section>\n");
    }

    private static void summary(StringBuilder h, Rollout r) {
        Summary s = r.summary();
        h.append("<table class=\"summary\">\n<tbody>\n");
        row(h, "Cluster server", "<code>" + escape(s.server()) + "</code>");
        row(h, "Namespace", escape(s.namespace()));
        row(h, "App", escape(s.app()));
        row(h, "Strategy", escape(s.strategy()));
        row(h, "Images", "<code>" + escape(String.join(", ", s.fromImages())) + "</code> &rarr; <code>"
                + escape(String.join(", ", s.toImages())) + "</code>");
        StringBuilder o = new StringBuilder();
        outcome(o, s.outcome());
        row(h, "Outcome", o.toString());
        row(h, "Started", "<span class=\"time\">" + iso(s.started()) + "</span>");
        row(h, "Finished", "<span class=\"time\">" + iso(s.finished()) + "</span> <span class=\"rel\">"
                + relative(r, s.finished()) + "</span>");
        row(h, "Duration", duration(Duration.ofMillis(s.durationMillis())) + " <span class=\"rel\">("
                + seconds(s.durationMillis() / 1000.0) + " s)</span>");
        row(h, "API requests", Long.toString(s.apiRequests()));
        if (!s.workloads().isEmpty()) {
            StringBuilder w = new StringBuilder("<ul class=\"plain\">");
            for (String line : s.workloads()) {
                w.append("<li>").append(escape(line)).append("</li>");
            }
            row(h, "Workloads", w.append("</ul>").toString());
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void row(StringBuilder h, String name, String html) {
        h.append("<tr><th scope=\"row\">").append(name).append("</th><td>").append(html).append("</td></tr>\n");
    }

    private static void outcome(StringBuilder h, String outcome) {
        h.append("<span class=\"outcome outcome-").append(HtmlEscaper.token(outcome)).append("\">")
                .append(escape(outcome == null ? "UNKNOWN" : outcome)).append("</span>");
    }

    // --- the chart ---

    private static void chart(StringBuilder h, Rollout r) {
        List<ReportModel.Series> series = r.series();
        h.append("<h3>Traffic</h3>\n");
        if (r.weights().isEmpty() && series.stream().allMatch(x -> x.points().isEmpty())) {
            h.append("<p class=\"none\">No traffic weights: this deploy did not shift traffic step by step.</p>\n");
            return;
        }
        double span = span(r);
        double right = rightMax(series);
        String unit = String.join(", ", series.stream().map(ReportModel.Series::unit)
                .filter(u -> u != null && !u.isBlank()).distinct().toList());
        h.append("<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(VIEW_W).append(' ').append(VIEW_H).append("\" role=\"img\" aria-label=\"")
                .append(escape("Canary weight over time for " + r.summary().app())).append("\">\n")
                .append("<title>").append(escape("Canary weight over time: " + r.summary().app())).append("</title>\n");
        bands(h, r, span);
        // grid and left axis: 0, 25, 50, 75, 100 %
        for (int p = 0; p <= 100; p += 25) {
            double y = yWeight(p);
            h.append("<line class=\"grid\" x1=\"").append(PLOT_LEFT).append("\" y1=\"").append(coord(y))
                    .append("\" x2=\"").append(PLOT_RIGHT).append("\" y2=\"").append(coord(y)).append("\"/>")
                    .append("<text class=\"axis\" x=\"").append(PLOT_LEFT - 6).append("\" y=\"").append(coord(y + 4))
                    .append("\" text-anchor=\"end\">").append(p).append("%</text>\n");
            if (!series.isEmpty()) {
                h.append("<text class=\"axis right\" x=\"").append(PLOT_RIGHT + 6).append("\" y=\"")
                        .append(coord(y + 4)).append("\">").append(escape(number(right * p / 100.0)))
                        .append("</text>\n");
            }
        }
        h.append("<text class=\"axis-title\" x=\"14\" y=\"").append((PLOT_TOP + PLOT_BOTTOM) / 2)
                .append("\" transform=\"rotate(-90 14 ").append((PLOT_TOP + PLOT_BOTTOM) / 2)
                .append(")\" text-anchor=\"middle\">canary weight</text>\n");
        if (!series.isEmpty()) {
            h.append("<text class=\"axis-title unit\" x=\"").append(VIEW_W - 2)
                    .append("\" y=\"11\" text-anchor=\"end\">").append(escape(unit.isEmpty() ? "value" : unit))
                    .append("</text>\n");
        }
        // time axis
        long step = tickStep(span);
        h.append("<line class=\"axis-line\" x1=\"").append(PLOT_LEFT).append("\" y1=\"").append(PLOT_BOTTOM)
                .append("\" x2=\"").append(PLOT_RIGHT).append("\" y2=\"").append(PLOT_BOTTOM).append("\"/>\n");
        for (long t = 0; t <= span + 1e-9; t += step) {
            double x = x(t, span);
            h.append("<line class=\"tick\" x1=\"").append(coord(x)).append("\" y1=\"").append(PLOT_BOTTOM)
                    .append("\" x2=\"").append(coord(x)).append("\" y2=\"").append(PLOT_BOTTOM + 5).append("\"/>")
                    .append("<text class=\"axis\" x=\"").append(coord(x)).append("\" y=\"").append(PLOT_BOTTOM + 18)
                    .append("\" text-anchor=\"middle\">").append(tickLabel(t)).append("</text>")
                    .append("<text class=\"axis clock\" x=\"").append(coord(x)).append("\" y=\"")
                    .append(PLOT_BOTTOM + 32).append("\" text-anchor=\"middle\">")
                    .append(CLOCK.format(r.summary().started().plusSeconds(t))).append("</text>\n");
        }
        h.append("<text class=\"axis-title\" x=\"").append(PLOT_RIGHT).append("\" y=\"").append(VIEW_H - 4)
                .append("\" text-anchor=\"end\">time from start (clock UTC)</text>\n");
        // extra series on the second axis
        for (int i = 0; i < series.size(); i++) {
            ReportModel.Series sr = series.get(i);
            String colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
            String label = sr.name() + (sr.unit() == null || sr.unit().isBlank() ? "" : " (" + sr.unit() + ")");
            StringBuilder pts = new StringBuilder();
            for (ReportModel.Point p : sr.points()) {
                appendPoint(pts, x(r.secondsFromStart(p.at()), span), yRight(p.value(), right));
            }
            h.append("<g class=\"series\" data-series=\"").append(i + 1).append("\">\n<title>").append(escape(label))
                    .append("</title>\n<polyline class=\"series-line\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-dasharray=\"").append(SERIES_DASHES[i % SERIES_DASHES.length])
                    .append("\" points=\"").append(pts).append("\"/>\n");
            if (sr.points().size() <= 200) {
                for (ReportModel.Point p : sr.points()) {
                    h.append("<circle r=\"2.5\" fill=\"").append(colour).append("\" cx=\"")
                            .append(coord(x(r.secondsFromStart(p.at()), span))).append("\" cy=\"")
                            .append(coord(yRight(p.value(), right))).append("\"><title>").append(escape(sr.name()))
                            .append(": ").append(escape(number(p.value()))).append(escape(unitSuffix(sr.unit())))
                            .append(" at ").append(iso(p.at())).append(' ').append(relative(r, p.at()))
                            .append("</title></circle>\n");
                }
            }
            h.append("</g>\n");
        }
        // the canary weight, a step line on top
        if (!r.weights().isEmpty()) {
            h.append("<polyline class=\"weight\" fill=\"none\" points=\"").append(weightPoints(r, span))
                    .append("\"/>\n");
            for (WeightStep w : r.weights()) {
                h.append("<circle class=\"weight-dot\" r=\"3.5\" cx=\"")
                        .append(coord(x(r.secondsFromStart(w.from()), span))).append("\" cy=\"")
                        .append(coord(yWeight(w.weight()))).append("\"><title>").append(w.weight()).append("% at ")
                        .append(iso(w.from())).append(' ').append(relative(r, w.from())).append(" (")
                        .append(escape(w.type())).append(")</title></circle>\n");
            }
        }
        h.append("</svg>\n<figcaption>");
        if (!r.weights().isEmpty()) {
            h.append("<span class=\"key\"><span class=\"swatch weight-swatch\"></span>canary weight (left axis, %)")
                    .append("</span>");
        }
        if (!r.pauses().isEmpty()) {
            h.append(" <span class=\"key\"><span class=\"block pause-block\"></span>paused</span>");
        }
        if (r.approvals().stream().anyMatch(a -> a.requested() != null)) {
            h.append(" <span class=\"key\"><span class=\"block approval-block\"></span>waiting for approval</span>");
        }
        if (r.stops().stream().anyMatch(x -> x.at() != null)) {
            h.append(" <span class=\"key\"><span class=\"swatch stop-swatch\"></span>abort, switch back or")
                    .append(" supersession</span>");
        }
        for (int i = 0; i < series.size(); i++) {
            ReportModel.Series sr = series.get(i);
            // A class, not a style attribute: Jenkins' Content-Security-Policy blocks inline styles.
            h.append(" <span class=\"key\"><span class=\"swatch series-").append(i % SERIES_COLOURS.length)
                    .append("\"></span>").append(escape(sr.name()))
                    .append(sr.unit() == null || sr.unit().isBlank() ? "" : " (" + escape(sr.unit()) + ")")
                    .append(" (right axis)</span>");
        }
        h.append("</figcaption>\n</figure>\n");
        if (!r.weights().isEmpty()) {
            h.append("<table class=\"weights\">\n<thead><tr><th class=\"num\">Weight</th><th>From (UTC)</th>")
                    .append("<th class=\"num\">+s</th><th>Until (UTC)</th><th class=\"num\">+s</th>")
                    .append("<th class=\"num\">Held</th><th>Set by</th></tr></thead>\n<tbody>\n");
            for (WeightStep w : r.weights()) {
                h.append("<tr><td class=\"num\">").append(w.weight()).append("%</td><td class=\"time\">")
                        .append(iso(w.from())).append("</td><td class=\"num\">").append(relative(r, w.from()))
                        .append("</td><td class=\"time\">").append(iso(w.until())).append("</td><td class=\"num\">")
                        .append(relative(r, w.until())).append("</td><td class=\"num\">").append(duration(w.held()))
                        .append("</td><td>").append(escape(w.type())).append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
    }

    /** Pauses and approval waits as bands behind the lines; aborts (and the like) as dashed vertical lines. */
    private static void bands(StringBuilder h, Rollout r, double span) {
        for (ReportModel.Pause p : r.pauses()) {
            band(h, r, span, "band-pause", p.from(), p.until(), "Paused" + (p.weight() == null ? "" : " at "
                    + p.weight() + "%") + " for " + duration(p.held()) + ": " + p.detail());
        }
        for (Approval a : r.approvals()) {
            if (a.requested() != null) {
                Instant until = a.decided() != null ? a.decided() : r.summary().finished();
                band(h, r, span, "band-approval", a.requested(), until, "Waiting for approval ("
                        + a.outcome() + ") for " + duration(Duration.between(a.requested(), until)) + ": "
                        + a.request());
            }
        }
        for (Stop s : r.stops()) {
            if (s.at() != null) {
                String x = coord(x(r.secondsFromStart(s.at()), span));
                h.append("<line class=\"stop\" x1=\"").append(x).append("\" y1=\"").append(PLOT_TOP)
                        .append("\" x2=\"").append(x).append("\" y2=\"").append(PLOT_BOTTOM).append("\"><title>")
                        .append(escape(s.kind() + " at " + iso(s.at()) + " " + relative(r, s.at()) + ": "
                                + s.reason()))
                        .append("</title></line>\n");
            }
        }
    }

    private static void band(StringBuilder h, Rollout r, double span, String cssClass, Instant from, Instant until,
            String title) {
        double x0 = x(r.secondsFromStart(from), span);
        double x1 = x(r.secondsFromStart(until), span);
        h.append("<rect class=\"").append(cssClass).append("\" x=\"").append(coord(x0)).append("\" y=\"")
                .append(PLOT_TOP).append("\" width=\"").append(coord(Math.max(1, x1 - x0))).append("\" height=\"")
                .append(PLOT_BOTTOM - PLOT_TOP).append("\"><title>").append(escape(title)).append("</title></rect>\n");
    }

    /**
     * The weight steps as SVG polyline points: each step's level from its start to the next step's start, then
     * straight up or down; the last level until the end of the rollout.
     */
    static String weightPoints(Rollout r, double span) {
        StringBuilder pts = new StringBuilder();
        List<WeightStep> steps = r.weights();
        for (int i = 0; i < steps.size(); i++) {
            WeightStep w = steps.get(i);
            double x0 = x(r.secondsFromStart(w.from()), span);
            if (i > 0) {
                appendPoint(pts, x0, yWeight(steps.get(i - 1).weight()));
            }
            appendPoint(pts, x0, yWeight(w.weight()));
            if (i == steps.size() - 1) {
                appendPoint(pts, x(r.secondsFromStart(w.until()), span), yWeight(w.weight()));
            }
        }
        return pts.toString();
    }

    /** Seconds the time axis covers: from the start to the end of the rollout or its last series point. */
    static double span(Rollout r) {
        double end = r.secondsFromStart(r.summary().finished());
        for (ReportModel.Series s : r.series()) {
            for (ReportModel.Point p : s.points()) {
                end = Math.max(end, r.secondsFromStart(p.at()));
            }
        }
        return Math.max(1, end);
    }

    static double x(double seconds, double span) {
        double t = Math.max(0, Math.min(span, seconds));
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * t / span;
    }

    static double yWeight(double percent) {
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * Math.max(0, Math.min(100, percent)) / 100.0;
    }

    private static double yRight(double value, double max) {
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * Math.max(0, Math.min(max, value)) / max;
    }

    /** A round top for the second axis (1, 2, 2.5 or 5 times a power of ten) at or above every value. */
    static double rightMax(List<ReportModel.Series> series) {
        double max = 0;
        for (ReportModel.Series s : series) {
            for (ReportModel.Point p : s.points()) {
                max = Math.max(max, p.value());
            }
        }
        if (max <= 0) {
            return 1;
        }
        double pow = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * pow >= max * (1 - 1e-12)) {
                return m * pow;
            }
        }
        return 10 * pow;
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
            return "+" + t / 60 + "m" + (t % 60 == 0 ? "" : String.format(Locale.ROOT, " %02ds", t % 60));
        }
        return "+" + t / 3600 + "h" + (t % 3600 == 0 ? "" : String.format(Locale.ROOT, " %02dm", t % 3600 / 60));
    }

    private static void appendPoint(StringBuilder pts, double x, double y) {
        if (!pts.isEmpty()) {
            pts.append(' ');
        }
        pts.append(coord(x)).append(',').append(coord(y));
    }

    /** An SVG coordinate: one decimal at most, none when it is whole. */
    static String coord(double v) {
        return BigDecimal.valueOf(Math.round(v * 10), 1).stripTrailingZeros().toPlainString();
    }

    // --- the tables ---

    private static void approvals(StringBuilder h, Rollout r) {
        h.append("<h3>Approvals</h3>\n");
        if (r.approvals().isEmpty()) {
            h.append("<p class=\"none\">No approval gate.</p>\n");
            return;
        }
        h.append("<table class=\"approvals\">\n<thead><tr><th>Requested (UTC)</th><th class=\"num\">+s</th>")
                .append("<th class=\"num\">Weight</th><th>Outcome</th><th>Decided (UTC)</th><th class=\"num\">+s</th>")
                .append("<th class=\"num\">Waited</th><th>Request</th><th>Decision</th></tr></thead>\n<tbody>\n");
        for (Approval a : r.approvals()) {
            h.append("<tr><td class=\"time\">").append(iso(a.requested())).append("</td><td class=\"num\">")
                    .append(relative(r, a.requested())).append("</td><td class=\"num\">")
                    .append(a.weight() == null ? "" : a.weight() + "%").append("</td><td><span class=\"approval-")
                    .append(HtmlEscaper.token(a.outcome())).append("\">").append(escape(a.outcome()))
                    .append("</span></td><td class=\"time\">").append(iso(a.decided()))
                    .append("</td><td class=\"num\">")
                    .append(relative(r, a.decided())).append("</td><td class=\"num\">")
                    .append(a.waited() == null ? "" : duration(a.waited())).append("</td><td class=\"msg\">")
                    .append(escape(a.request())).append("</td><td class=\"msg\">").append(escape(a.decision()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void stops(StringBuilder h, Rollout r) {
        h.append("<h3>Aborts and rollbacks</h3>\n");
        if (r.stops().isEmpty()) {
            h.append("<p class=\"none\">None.</p>\n");
            return;
        }
        h.append("<table class=\"stops\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th><th>What</th>")
                .append("<th>Reason</th></tr></thead>\n<tbody>\n");
        for (Stop s : r.stops()) {
            h.append("<tr><td class=\"time\">").append(iso(s.at())).append("</td><td class=\"num\">")
                    .append(relative(r, s.at())).append("</td><td>").append(escape(s.kind()))
                    .append("</td><td class=\"msg\" title=\"").append(escape(s.detail())).append("\">")
                    .append(escape(s.reason())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void analyses(StringBuilder h, Rollout r) {
        h.append("<h3>Analysis</h3>\n");
        if (r.analyses().isEmpty()) {
            h.append("<p class=\"none\">No analysis in this rollout.</p>\n");
            return;
        }
        for (Analysis a : r.analyses()) {
            h.append("<h4>").append(escape(a.name()));
            if (a.verdict() != null) {
                h.append(' ');
                outcome(h, a.verdict());
            }
            h.append("</h4>\n");
            if (a.message() != null && !a.message().isBlank()) {
                h.append("<p class=\"msg\">").append(escape(a.message())).append("</p>\n");
            }
            if (!a.scores().isEmpty()) {
                h.append("<table class=\"scores\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th>")
                        .append("<th>Judge</th><th class=\"num\">Score</th><th>Verdict</th><th>Why</th></tr></thead>\n")
                        .append("<tbody>\n");
                for (ScoreRow s : a.scores()) {
                    h.append("<tr><td class=\"time\">").append(iso(s.at())).append("</td><td class=\"num\">")
                            .append(relative(r, s.at())).append("</td><td>").append(escape(s.judge()))
                            .append("</td><td class=\"num\">").append(s.score() == null ? "&ndash;"
                                    : escape(number(s.score()))).append("</td><td>").append(escape(s.verdict()))
                            .append("</td><td class=\"msg\">").append(escape(s.message())).append("</td></tr>\n");
                }
                h.append("</tbody>\n</table>\n");
            }
            if (!a.measurements().isEmpty()) {
                h.append("<table class=\"measurements\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th>")
                        .append("<th>Metric</th><th>Query</th><th class=\"num\">Value</th><th>Verdict</th></tr>")
                        .append("</thead>\n<tbody>\n");
                for (MeasurementRow m : a.measurements()) {
                    h.append("<tr><td class=\"time\">").append(iso(m.at())).append("</td><td class=\"num\">")
                            .append(relative(r, m.at())).append("</td><td>").append(escape(m.metric()))
                            .append("</td><td class=\"msg\"><code>").append(escape(m.query()))
                            .append("</code></td><td class=\"num\">").append(escape(m.value())).append("</td><td>")
                            .append(escape(m.verdict())).append("</td></tr>\n");
                }
                h.append("</tbody>\n</table>\n");
            }
        }
    }

    private static void timeline(StringBuilder h, Rollout r) {
        h.append("<h3>Timeline</h3>\n");
        if (r.timeline().isEmpty()) {
            h.append("<p class=\"none\">Nothing was logged.</p>\n");
            return;
        }
        h.append("<table class=\"timeline\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th><th>Event</th>")
                .append("<th class=\"num\">Weight</th><th>Message</th></tr></thead>\n<tbody>\n");
        for (TimelineRow t : r.timeline()) {
            h.append("<tr><td class=\"time\">").append(iso(t.at())).append("</td><td class=\"num\">")
                    .append(relative(r, t.at())).append("</td><td>").append(escape(t.type()))
                    .append("</td><td class=\"num\">").append(t.weight() == null ? "" : t.weight() + "%")
                    .append("</td><td class=\"msg\">").append(escape(t.message())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    // --- formatting ---

    /** UTC, ISO 8601 ({@code 2025-03-14T09:00:30Z}); empty for null. */
    static String iso(Instant at) {
        return at == null ? "" : DateTimeFormatter.ISO_INSTANT.format(at);
    }

    /** Seconds from the rollout's start: {@code +30 s}, {@code +0.5 s}; empty for null. */
    static String relative(Rollout r, Instant at) {
        if (at == null) {
            return "";
        }
        double s = r.secondsFromStart(at);
        return (s < 0 ? "-" : "+") + seconds(Math.abs(s)) + " s";
    }

    private static String seconds(double s) {
        return BigDecimal.valueOf(Math.round(s * 10), 1).stripTrailingZeros().toPlainString();
    }

    /** {@code 0.4 s}, {@code 45 s}, {@code 5m 30s}, {@code 1h 02m 03s}. */
    public static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) {
            return seconds(ms / 1000.0) + " s";
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
    }

    /** At most four significant digits, no exponent: {@code 0.01235}, {@code 120}, {@code 2.5}. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String unitSuffix(String unit) {
        return unit == null || unit.isBlank() ? "" : unit.equals("%") ? "%" : " " + unit;
    }

    private static final String CSS = """
            :root { color-scheme: light; }
            * { box-sizing: border-box; }
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
                   color: #1f2328; background: #fff; max-width: 1280px; margin: 0 auto; padding: 16px 24px; }
            h1 { font-size: 1.6em; margin: 0 0 .4em; overflow-wrap: anywhere; }
            h2 { font-size: 1.3em; margin: 1.2em 0 .5em; padding-top: .6em; border-top: 2px solid #d0d7de;
                 overflow-wrap: anywhere; }
            h3 { font-size: 1.05em; margin: 1.3em 0 .4em; }
            h4 { font-size: 1em; margin: 1em 0 .3em; overflow-wrap: anywhere; }
            table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; }
            th, td { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid #d8dee4; }
            thead th { background: #f6f8fa; border-bottom: 1px solid #d0d7de; font-weight: 600; }
            table.summary { width: auto; min-width: 60%; }
            table.summary th { width: 11em; background: #f6f8fa; font-weight: 600; }
            code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
                        font-size: .92em; }
            code { overflow-wrap: anywhere; }
            .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .time { white-space: nowrap; font-variant-numeric: tabular-nums; }
            .rel { color: #59636e; }
            .msg { overflow-wrap: anywhere; }
            .none { color: #59636e; font-style: italic; }
            ul.plain { margin: 0; padding-left: 1.1em; }
            .strategy { font-weight: normal; color: #59636e; font-size: .8em; }
            .outcome { display: inline-block; padding: 0 .5em; border-radius: 1em; font-size: .8em; font-weight: 600;
                       border: 1px solid #d0d7de; background: #f6f8fa; vertical-align: middle; }
            .outcome-SUCCEEDED, .outcome-SUCCESSFUL { background: #dafbe1; border-color: #1a7f37; color: #116329; }
            .outcome-FAILED, .outcome-ABORTED { background: #ffebe9; border-color: #cf222e; color: #a40e26; }
            .outcome-DRY_RUN, .outcome-INCONCLUSIVE { background: #fff8c5; border-color: #9a6700; color: #7d4e00; }
            .approval-approved { color: #116329; font-weight: 600; }
            .approval-refused { color: #a40e26; font-weight: 600; }
            .approval-pending { color: #7d4e00; font-weight: 600; }
            pre.failure { white-space: pre-wrap; overflow-wrap: anywhere; background: #ffebe9;
                          border-left: 4px solid #cf222e; padding: .6em .8em; margin: .3em 0 .8em; }
            figure.chart { margin: .3em 0 .6em; }
            figure.chart svg { width: 100%; height: auto; max-height: 340px; display: block; }
            figcaption { color: #59636e; font-size: .9em; }
            .key { margin-right: 1.2em; white-space: nowrap; }
            .swatch { display: inline-block; width: 1.8em; margin-right: .4em; border-top: 3px dashed #888;
                      vertical-align: middle; }
            .weight-swatch { border-top: 3px solid #0969da; }
            svg .grid { stroke: #e1e4e8; stroke-width: 1; }
            svg .axis-line, svg .tick { stroke: #8c959f; stroke-width: 1; }
            svg .axis { font-size: 11px; fill: #59636e; }
            svg .axis.clock { font-size: 10px; fill: #8c959f; }
            svg .axis-title { font-size: 11px; fill: #59636e; font-style: italic; }
            svg .weight { stroke: #0969da; stroke-width: 2.5; stroke-linejoin: round; }
            svg .weight-dot { fill: #0969da; }
            svg .series-line { stroke-width: 1.8; }
            svg .band-pause { fill: #eaeef2; }
            svg .band-approval { fill: #fff1c2; }
            svg .stop { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 5 3; }
            .block { display: inline-block; width: 1.2em; height: .8em; margin-right: .4em; vertical-align: middle;
                     border: 1px solid #d0d7de; }
            .pause-block { background: #eaeef2; }
            .approval-block { background: #fff1c2; }
            .stop-swatch { border-top: 2px dashed #cf222e; }
            .series-0 { border-top-color: #cf222e; }
            .series-1 { border-top-color: #9a6700; }
            .series-2 { border-top-color: #8250df; }
            .series-3 { border-top-color: #1a7f37; }
            .series-4 { border-top-color: #bf3989; }
            @page { margin: 12mm; }
            @media print {
              body { max-width: none; padding: 0; font-size: 9.5pt; }
              * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              section.rollout + section.rollout { break-before: page; }
              h2, h3, h4 { break-after: avoid; }
              tr, figure { break-inside: avoid; }
              thead { display: table-header-group; }
              a { color: inherit; text-decoration: none; }
              figure.chart svg { max-height: 260px; }
            }
            """;
}
