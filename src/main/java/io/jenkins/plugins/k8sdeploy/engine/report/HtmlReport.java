package io.jenkins.plugins.k8sdeploy.engine.report;

import static io.jenkins.plugins.k8sdeploy.engine.report.HtmlEscaper.escape;

import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Summary;
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
     * One rollout as an HTML fragment: the {@code <section class="rollout">} that {@link #render} writes for it, with
     * no {@code <html>}, {@code <head>}, style or script. The Jenkins rollout page does not write it: it renders the
     * same {@link ReportSection} in the same markup with Jelly ({@code RolloutView/index.jelly}), and its tests hold
     * the two to the same elements and text.
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
            badge(h, ReportSection.badge(s.outcome()));
            h.append("</td><td class=\"time\">").append(iso(s.started())).append("</td><td class=\"num\">")
                    .append(duration(Duration.ofMillis(s.durationMillis()))).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void rollout(StringBuilder h, Rollout r, int n) {
        ReportSection s = ReportSection.of(r, n);
        h.append("<section class=\"rollout\" id=\"").append(s.id()).append("\">\n<h2>").append(escape(s.heading()))
                .append(" <span class=\"strategy\">").append(escape(s.strategy())).append("</span> ");
        badge(h, s.outcome());
        h.append("</h2>\n");
        summary(h, s.summary(), s.outcome());
        chart(h, s);
        approvals(h, s);
        stops(h, s);
        if (s.failure() != null) {
            h.append("<h3>Failure</h3>\n<pre class=\"failure\">").append(escape(s.failure())).append("</pre>\n");
        }
        analyses(h, s);
        timeline(h, s);
        h.append("</section>\n");
    }

    private static void summary(StringBuilder h, ReportSection.SummaryTable s, ReportSection.Badge outcome) {
        h.append("<table class=\"summary\">\n<tbody>\n");
        row(h, "Cluster server", "<code>" + escape(s.server()) + "</code>");
        row(h, "Namespace", escape(s.namespace()));
        row(h, "App", escape(s.app()));
        row(h, "Strategy", escape(s.strategy()));
        row(h, "Images", "<code>" + escape(s.fromImages()) + "</code> &rarr; <code>" + escape(s.toImages())
                + "</code>");
        StringBuilder o = new StringBuilder();
        badge(o, outcome);
        row(h, "Outcome", o.toString());
        row(h, "Started", "<span class=\"time\">" + escape(s.started()) + "</span>");
        row(h, "Finished", "<span class=\"time\">" + escape(s.finished().iso()) + "</span> <span class=\"rel\">"
                + escape(s.finished().relative()) + "</span>");
        row(h, "Duration", escape(s.duration()) + " <span class=\"rel\">" + escape(s.durationSeconds()) + "</span>");
        row(h, "API requests", escape(s.apiRequests()));
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

    private static void badge(StringBuilder h, ReportSection.Badge badge) {
        h.append("<span class=\"").append(escape(badge.cssClass())).append("\">").append(escape(badge.text()))
                .append("</span>");
    }

    private static void cells(StringBuilder h, ReportSection.Time t) {
        h.append("<td class=\"time\">").append(escape(t.iso())).append("</td><td class=\"num\">")
                .append(escape(t.relative())).append("</td>");
    }

    // --- the chart ---

    private static void chart(StringBuilder h, ReportSection s) {
        h.append("<h3>Traffic</h3>\n");
        ReportSection.Chart c = s.chart();
        if (c == null) {
            h.append("<p class=\"none\">No traffic weights: this deploy did not shift traffic step by step.</p>\n");
            return;
        }
        ReportSection.Frame f = c.frame();
        h.append("<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"").append(f.viewBox())
                .append("\" role=\"img\" aria-label=\"").append(escape(c.label())).append("\">\n<title>")
                .append(escape(c.title())).append("</title>\n");
        for (ReportSection.Band b : c.bands()) {
            h.append("<rect class=\"").append(b.cssClass()).append("\" x=\"").append(b.x()).append("\" y=\"")
                    .append(f.top()).append("\" width=\"").append(b.width()).append("\" height=\"")
                    .append(f.bottom() - f.top()).append("\"><title>").append(escape(b.title()))
                    .append("</title></rect>\n");
        }
        for (ReportSection.VerticalLine l : c.stops()) {
            h.append("<line class=\"stop\" x1=\"").append(l.x()).append("\" y1=\"").append(f.top()).append("\" x2=\"")
                    .append(l.x()).append("\" y2=\"").append(f.bottom()).append("\"><title>").append(escape(l.title()))
                    .append("</title></line>\n");
        }
        for (ReportSection.GridLine g : c.grid()) {
            h.append("<line class=\"grid\" x1=\"").append(f.left()).append("\" y1=\"").append(g.y())
                    .append("\" x2=\"").append(f.right()).append("\" y2=\"").append(g.y()).append("\"/>")
                    .append("<text class=\"axis\" x=\"").append(f.leftLabelX()).append("\" y=\"").append(g.labelY())
                    .append("\" text-anchor=\"end\">").append(escape(g.label())).append("</text>\n");
            if (c.rightAxis()) {
                h.append("<text class=\"axis right\" x=\"").append(f.rightLabelX()).append("\" y=\"")
                        .append(g.labelY()).append("\">").append(escape(g.rightLabel())).append("</text>\n");
            }
        }
        h.append("<text class=\"axis-title\" x=\"14\" y=\"").append(f.middleY()).append("\" transform=\"")
                .append(f.leftTitleTransform()).append("\" text-anchor=\"middle\">canary weight</text>\n");
        if (c.rightAxis()) {
            h.append("<text class=\"axis-title unit\" x=\"").append(f.unitX()).append("\" y=\"11\" text-anchor=\"end\">")
                    .append(escape(c.unit())).append("</text>\n");
        }
        h.append("<line class=\"axis-line\" x1=\"").append(f.left()).append("\" y1=\"").append(f.bottom())
                .append("\" x2=\"").append(f.right()).append("\" y2=\"").append(f.bottom()).append("\"/>\n");
        for (ReportSection.Tick t : c.ticks()) {
            h.append("<line class=\"tick\" x1=\"").append(t.x()).append("\" y1=\"").append(f.bottom())
                    .append("\" x2=\"").append(t.x()).append("\" y2=\"").append(f.tickEndY()).append("\"/>")
                    .append("<text class=\"axis\" x=\"").append(t.x()).append("\" y=\"").append(f.tickLabelY())
                    .append("\" text-anchor=\"middle\">").append(escape(t.label())).append("</text>")
                    .append("<text class=\"axis clock\" x=\"").append(t.x()).append("\" y=\"").append(f.clockY())
                    .append("\" text-anchor=\"middle\">").append(escape(t.clock())).append("</text>\n");
        }
        h.append("<text class=\"axis-title\" x=\"").append(f.right()).append("\" y=\"").append(f.timeTitleY())
                .append("\" text-anchor=\"end\">time from start (clock UTC)</text>\n");
        for (ReportSection.SeriesLine l : c.series()) {
            h.append("<g class=\"series\" data-series=\"").append(l.number()).append("\">\n<title>")
                    .append(escape(l.title())).append("</title>\n<polyline class=\"series-line\" fill=\"none\" stroke=\"")
                    .append(l.colour()).append("\" stroke-dasharray=\"").append(l.dash()).append("\" points=\"")
                    .append(l.points()).append("\"/>\n");
            for (ReportSection.Dot d : l.dots()) {
                h.append("<circle r=\"2.5\" fill=\"").append(l.colour()).append("\" cx=\"").append(d.cx())
                        .append("\" cy=\"").append(d.cy()).append("\"><title>").append(escape(d.title()))
                        .append("</title></circle>\n");
            }
            h.append("</g>\n");
        }
        if (c.weightPoints() != null) {
            h.append("<polyline class=\"weight\" fill=\"none\" points=\"").append(c.weightPoints()).append("\"/>\n");
            for (ReportSection.Dot d : c.weightDots()) {
                h.append("<circle class=\"weight-dot\" r=\"3.5\" cx=\"").append(d.cx()).append("\" cy=\"")
                        .append(d.cy()).append("\"><title>").append(escape(d.title())).append("</title></circle>\n");
            }
        }
        h.append("</svg>\n<figcaption>");
        String sep = "";
        for (ReportSection.Key k : c.keys()) {
            h.append(sep).append("<span class=\"key\"><span class=\"").append(k.swatchClass()).append("\"></span>")
                    .append(escape(k.text())).append("</span>");
            sep = " ";
        }
        h.append("</figcaption>\n</figure>\n");
        if (!s.weights().isEmpty()) {
            h.append("<table class=\"weights\">\n<thead><tr><th class=\"num\">Weight</th><th>From (UTC)</th>")
                    .append("<th class=\"num\">+s</th><th>Until (UTC)</th><th class=\"num\">+s</th>")
                    .append("<th class=\"num\">Held</th><th>Set by</th></tr></thead>\n<tbody>\n");
            for (ReportSection.WeightRow w : s.weights()) {
                h.append("<tr><td class=\"num\">").append(escape(w.weight())).append("</td>");
                cells(h, w.from());
                cells(h, w.until());
                h.append("<td class=\"num\">").append(escape(w.held())).append("</td><td>").append(escape(w.setBy()))
                        .append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
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

    private static void approvals(StringBuilder h, ReportSection s) {
        h.append("<h3>Approvals</h3>\n");
        if (s.approvals().isEmpty()) {
            h.append("<p class=\"none\">No approval gate.</p>\n");
            return;
        }
        h.append("<table class=\"approvals\">\n<thead><tr><th>Requested (UTC)</th><th class=\"num\">+s</th>")
                .append("<th class=\"num\">Weight</th><th>Outcome</th><th>Decided (UTC)</th><th class=\"num\">+s</th>")
                .append("<th class=\"num\">Waited</th><th>Request</th><th>Decision</th></tr></thead>\n<tbody>\n");
        for (ReportSection.ApprovalRow a : s.approvals()) {
            h.append("<tr>");
            cells(h, a.requested());
            h.append("<td class=\"num\">").append(escape(a.weight())).append("</td><td><span class=\"")
                    .append(a.outcomeClass()).append("\">").append(escape(a.outcome())).append("</span></td>");
            cells(h, a.decided());
            h.append("<td class=\"num\">").append(escape(a.waited())).append("</td><td class=\"msg\">")
                    .append(escape(a.request())).append("</td><td class=\"msg\">").append(escape(a.decision()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void stops(StringBuilder h, ReportSection s) {
        h.append("<h3>Aborts and rollbacks</h3>\n");
        if (s.stops().isEmpty()) {
            h.append("<p class=\"none\">None.</p>\n");
            return;
        }
        h.append("<table class=\"stops\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th><th>What</th>")
                .append("<th>Reason</th></tr></thead>\n<tbody>\n");
        for (ReportSection.StopRow r : s.stops()) {
            h.append("<tr>");
            cells(h, r.at());
            h.append("<td>").append(escape(r.kind())).append("</td><td class=\"msg\" title=\"")
                    .append(escape(r.detail())).append("\">").append(escape(r.reason())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void analyses(StringBuilder h, ReportSection s) {
        h.append("<h3>Analysis</h3>\n");
        if (s.analyses().isEmpty()) {
            h.append("<p class=\"none\">No analysis in this rollout.</p>\n");
            return;
        }
        for (ReportSection.AnalysisPart a : s.analyses()) {
            h.append("<h4>").append(escape(a.name()));
            if (a.verdict() != null) {
                h.append(' ');
                badge(h, a.verdict());
            }
            h.append("</h4>\n");
            if (!a.message().isEmpty()) {
                h.append("<p class=\"msg\">").append(escape(a.message())).append("</p>\n");
            }
            if (!a.scores().isEmpty()) {
                h.append("<table class=\"scores\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th>")
                        .append("<th>Judge</th><th class=\"num\">Score</th><th>Verdict</th><th>Why</th></tr></thead>\n")
                        .append("<tbody>\n");
                for (ReportSection.Score sc : a.scores()) {
                    h.append("<tr>");
                    cells(h, sc.at());
                    h.append("<td>").append(escape(sc.judge())).append("</td><td class=\"num\">")
                            .append(escape(sc.score())).append("</td><td>").append(escape(sc.verdict()))
                            .append("</td><td class=\"msg\">").append(escape(sc.why())).append("</td></tr>\n");
                }
                h.append("</tbody>\n</table>\n");
            }
            if (!a.measurements().isEmpty()) {
                h.append("<table class=\"measurements\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th>")
                        .append("<th>Metric</th><th>Query</th><th class=\"num\">Value</th><th>Verdict</th></tr>")
                        .append("</thead>\n<tbody>\n");
                for (ReportSection.Measurement m : a.measurements()) {
                    h.append("<tr>");
                    cells(h, m.at());
                    h.append("<td>").append(escape(m.metric())).append("</td><td class=\"msg\"><code>")
                            .append(escape(m.query())).append("</code></td><td class=\"num\">")
                            .append(escape(m.value())).append("</td><td>").append(escape(m.verdict()))
                            .append("</td></tr>\n");
                }
                h.append("</tbody>\n</table>\n");
            }
        }
    }

    private static void timeline(StringBuilder h, ReportSection s) {
        h.append("<h3>Timeline</h3>\n");
        if (s.timeline().isEmpty()) {
            h.append("<p class=\"none\">Nothing was logged.</p>\n");
            return;
        }
        h.append("<table class=\"timeline\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th><th>Event</th>")
                .append("<th class=\"num\">Weight</th><th>Message</th></tr></thead>\n<tbody>\n");
        for (ReportSection.TimelineEntry t : s.timeline()) {
            h.append("<tr>");
            cells(h, t.at());
            h.append("<td>").append(escape(t.type())).append("</td><td class=\"num\">").append(escape(t.weight()))
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

    static String seconds(double s) {
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
