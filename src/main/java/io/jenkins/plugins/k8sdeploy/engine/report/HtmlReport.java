package io.jenkins.plugins.k8sdeploy.engine.report;

import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Summary;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Badge;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Chart;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Frame;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Time;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link ReportModel} as one self-contained HTML5 document: inline CSS only (no script, font, image or stylesheet
 * from anywhere), readable at laptop width and printable. Per rollout: the summary, an inline SVG chart of the canary
 * weight over time (with the analyses' series on a second axis), the weight steps, approvals, aborts and rollbacks,
 * the failure, the analyses' scores and measurements, and the timeline. Times are UTC (ISO 8601) with seconds from the
 * rollout's start.
 *
 * <p>Markup only: what each rollout says comes from its {@link ReportSection} (text, and the chart's coordinates
 * from {@link ChartGeometry}); it is written through {@link Html}, whose templates escape every value for where it
 * goes ({@link HtmlEscaper}). The document also carries a Content-Security-Policy that allows no script at all, in
 * case a browser ever sees something the escaping missed.
 *
 * <pre>{@code
 * Files.writeString(Path.of("report.html"), HtmlReport.render(ReportModel.of(record)));
 * }</pre>
 */
public final class HtmlReport {
    private static final String HEAD = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
            style-src 'unsafe-inline'; img-src data:">
            <title>{}</title>
            <style>
            """;

    private HtmlReport() {}

    public static String render(ReportModel model) {
        Html h = new Html(32_768).add(HEAD, model.title()).add(CSS).add("</style>\n</head>\n<body>\n")
                .add("<header>\n<h1>{}</h1>\n", model.title());
        if (model.rollouts().size() > 1) {
            overview(h, model.rollouts());
        } else if (model.rollouts().isEmpty()) {
            h.add("<p class=\"none\">No rollout to report.</p>\n");
        }
        h.add("</header>\n");
        for (int i = 0; i < model.rollouts().size(); i++) {
            rollout(h, model.rollouts().get(i), i + 1);
        }
        return h.add("</body>\n</html>\n").toString();
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
        Html h = new Html(16_384);
        rollout(h, rollout, n);
        return h.toString();
    }

    /** {@code 0.4 s}, {@code 45 s}, {@code 5m 30s}, {@code 1h 02m 03s}: as the report writes durations. */
    public static String duration(Duration d) {
        return Formats.duration(d);
    }

    private static void overview(Html h, List<Rollout> rollouts) {
        h.add("<table class=\"overview\">\n<thead><tr><th>#</th><th>App</th><th>Strategy</th><th>Outcome</th>"
                + "<th>Started (UTC)</th><th class=\"num\">Duration</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < rollouts.size(); i++) {
            Summary s = rollouts.get(i).summary();
            h.add("<tr><td><a href=\"#rollout-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"time\">{}"
                    + "</td><td class=\"num\">{}</td></tr>\n", i + 1, i + 1, s.app(), s.strategy(),
                    badge(ReportSection.badge(s.outcome())), Formats.iso(s.started()),
                    Formats.duration(Duration.ofMillis(s.durationMillis())));
        }
        h.add("</tbody>\n</table>\n");
    }

    private static void rollout(Html h, Rollout r, int n) {
        ReportSection s = ReportSection.of(r, n);
        h.add("<section class=\"rollout\" id=\"{}\">\n<h2>{} <span class=\"strategy\">{}</span> {}</h2>\n", s.id(),
                s.heading(), s.strategy(), badge(s.outcome()));
        summary(h, s.summary(), s.outcome());
        chart(h, s);
        approvals(h, s);
        stops(h, s);
        if (s.failure() != null) {
            h.add("<h3>Failure</h3>\n<pre class=\"failure\">{}</pre>\n", s.failure());
        }
        analyses(h, s);
        timeline(h, s);
        h.add("</section>\n");
    }

    private static void summary(Html h, ReportSection.SummaryTable s, Badge outcome) {
        h.add("<table class=\"summary\">\n<tbody>\n");
        row(h, "Cluster server", new Html().add("<code>{}</code>", s.server()));
        row(h, "Namespace", s.namespace());
        row(h, "App", s.app());
        row(h, "Strategy", s.strategy());
        row(h, "Images", new Html().add("<code>{}</code> &rarr; <code>{}</code>", s.fromImages(), s.toImages()));
        row(h, "Outcome", badge(outcome));
        row(h, "Started", new Html().add("<span class=\"time\">{}</span>", s.started()));
        row(h, "Finished", new Html().add("<span class=\"time\">{}</span> <span class=\"rel\">{}</span>",
                s.finished().iso(), s.finished().relative()));
        row(h, "Duration", new Html().add("{} <span class=\"rel\">{}</span>", s.duration(), s.durationSeconds()));
        row(h, "API requests", s.apiRequests());
        if (!s.workloads().isEmpty()) {
            Html w = new Html().add("<ul class=\"plain\">");
            s.workloads().forEach(line -> w.add("<li>{}</li>", line));
            row(h, "Workloads", w.add("</ul>"));
        }
        h.add("</tbody>\n</table>\n");
    }

    /** A row of the summary: a name, and a value as text or as {@link Html}. */
    private static void row(Html h, String name, Object value) {
        h.add("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", name, value);
    }

    private static Html badge(Badge badge) {
        return new Html().add("<span class=\"{}\">{}</span>", badge.cssClass(), badge.text());
    }

    /** A time's two cells: UTC, and seconds from the start. */
    private static Html cells(Time t) {
        return new Html().add("<td class=\"time\">{}</td><td class=\"num\">{}</td>", t.iso(), t.relative());
    }

    /** A table: its opening and head (markup of ours), a row per item, and its end. */
    private static <T> void table(Html h, String head, List<T> items, Function<T, Html> row) {
        h.add(head);
        items.forEach(item -> h.add("{}", row.apply(item)));
        h.add("</tbody>\n</table>\n");
    }

    // --- the chart ---

    private static void chart(Html h, ReportSection s) {
        h.add("<h3>Traffic</h3>\n");
        Chart c = s.chart();
        if (c == null) {
            h.add("<p class=\"none\">No traffic weights: this deploy did not shift traffic step by step.</p>\n");
            return;
        }
        Frame f = c.frame();
        h.add("<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{}\" role=\"img\""
                + " aria-label=\"{}\">\n<title>{}</title>\n", f.viewBox(), c.label(), c.title());
        background(h, c, f);
        axes(h, c, f);
        lines(h, c);
        h.add("</svg>\n<figcaption>");
        String sep = "";
        for (ReportSection.Key k : c.keys()) {
            h.add("{}<span class=\"key\"><span class=\"{}\"></span>{}</span>", sep, k.swatchClass(), k.text());
            sep = " ";
        }
        h.add("</figcaption>\n</figure>\n");
        if (!s.weights().isEmpty()) {
            table(h, "<table class=\"weights\">\n<thead><tr><th class=\"num\">Weight</th><th>From (UTC)</th>"
                    + "<th class=\"num\">+s</th><th>Until (UTC)</th><th class=\"num\">+s</th>"
                    + "<th class=\"num\">Held</th><th>Set by</th></tr></thead>\n<tbody>\n", s.weights(),
                    w -> new Html().add("<tr><td class=\"num\">{}</td>{}{}<td class=\"num\">{}</td><td>{}</td></tr>\n",
                            w.weight(), cells(w.from()), cells(w.until()), w.held(), w.setBy()));
        }
    }

    /** Behind the lines: pauses and approval waits as bands, aborts as dashed lines, the weight grid. */
    private static void background(Html h, Chart c, Frame f) {
        for (ReportSection.Band b : c.bands()) {
            h.add("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>\n",
                    b.cssClass(), b.x(), f.top(), b.width(), f.bottom() - f.top(), b.title());
        }
        for (ReportSection.VerticalLine l : c.stops()) {
            h.add("<line class=\"stop\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>{}</title></line>\n", l.x(),
                    f.top(), l.x(), f.bottom(), l.title());
        }
        for (ReportSection.GridLine g : c.grid()) {
            h.add("<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text class=\"axis\" x=\"{}\""
                    + " y=\"{}\" text-anchor=\"end\">{}</text>\n", f.left(), g.y(), f.right(), g.y(), f.leftLabelX(),
                    g.labelY(), g.label());
            if (c.rightAxis()) {
                h.add("<text class=\"axis right\" x=\"{}\" y=\"{}\">{}</text>\n", f.rightLabelX(), g.labelY(),
                        g.rightLabel());
            }
        }
    }

    /** The axes' titles, the time axis and its ticks. */
    private static void axes(Html h, Chart c, Frame f) {
        h.add("<text class=\"axis-title\" x=\"14\" y=\"{}\" transform=\"{}\" text-anchor=\"middle\">canary weight"
                + "</text>\n", f.middleY(), f.leftTitleTransform());
        if (c.rightAxis()) {
            h.add("<text class=\"axis-title unit\" x=\"{}\" y=\"11\" text-anchor=\"end\">{}</text>\n", f.unitX(),
                    c.unit());
        }
        h.add("<line class=\"axis-line\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", f.left(), f.bottom(),
                f.right(), f.bottom());
        for (ReportSection.Tick t : c.ticks()) {
            h.add("<line class=\"tick\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text class=\"axis\" x=\"{}\""
                    + " y=\"{}\" text-anchor=\"middle\">{}</text><text class=\"axis clock\" x=\"{}\" y=\"{}\""
                    + " text-anchor=\"middle\">{}</text>\n", t.x(), f.bottom(), t.x(), f.tickEndY(), t.x(),
                    f.tickLabelY(), t.label(), t.x(), f.clockY(), t.clock());
        }
        h.add("<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"end\">time from start (clock UTC)"
                + "</text>\n", f.right(), f.timeTitleY());
    }

    /** The analyses' series, then the weight over them; each point with its tooltip. */
    private static void lines(Html h, Chart c) {
        for (ReportSection.SeriesLine l : c.series()) {
            h.add("<g class=\"series\" data-series=\"{}\">\n<title>{}</title>\n<polyline class=\"series-line\""
                    + " fill=\"none\" stroke=\"{}\" stroke-dasharray=\"{}\" points=\"{}\"/>\n", l.number(), l.title(),
                    l.colour(), l.dash(), l.points());
            for (ReportSection.Dot d : l.dots()) {
                h.add("<circle r=\"2.5\" fill=\"{}\" cx=\"{}\" cy=\"{}\"><title>{}</title></circle>\n", l.colour(),
                        d.cx(), d.cy(), d.title());
            }
            h.add("</g>\n");
        }
        if (c.weightPoints() != null) {
            h.add("<polyline class=\"weight\" fill=\"none\" points=\"{}\"/>\n", c.weightPoints());
            for (ReportSection.Dot d : c.weightDots()) {
                h.add("<circle class=\"weight-dot\" r=\"3.5\" cx=\"{}\" cy=\"{}\"><title>{}</title></circle>\n",
                        d.cx(), d.cy(), d.title());
            }
        }
    }

    // --- the tables ---

    private static void approvals(Html h, ReportSection s) {
        h.add("<h3>Approvals</h3>\n");
        if (s.approvals().isEmpty()) {
            h.add("<p class=\"none\">No approval gate.</p>\n");
            return;
        }
        table(h, "<table class=\"approvals\">\n<thead><tr><th>Requested (UTC)</th><th class=\"num\">+s</th>"
                + "<th class=\"num\">Weight</th><th>Outcome</th><th>Decided (UTC)</th><th class=\"num\">+s</th>"
                + "<th class=\"num\">Waited</th><th>Request</th><th>Decision</th></tr></thead>\n<tbody>\n",
                s.approvals(), a -> new Html().add("<tr>{}<td class=\"num\">{}</td><td><span class=\"{}\">{}</span>"
                        + "</td>{}<td class=\"num\">{}</td><td class=\"msg\">{}</td><td class=\"msg\">{}</td></tr>\n",
                        cells(a.requested()), a.weight(), a.outcomeClass(), a.outcome(), cells(a.decided()),
                        a.waited(), a.request(), a.decision()));
    }

    private static void stops(Html h, ReportSection s) {
        h.add("<h3>Aborts and rollbacks</h3>\n");
        if (s.stops().isEmpty()) {
            h.add("<p class=\"none\">None.</p>\n");
            return;
        }
        table(h, "<table class=\"stops\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th><th>What</th>"
                + "<th>Reason</th></tr></thead>\n<tbody>\n", s.stops(), r -> new Html().add("<tr>{}<td>{}</td>"
                        + "<td class=\"msg\" title=\"{}\">{}</td></tr>\n", cells(r.at()), r.kind(), r.detail(),
                        r.reason()));
    }

    private static void analyses(Html h, ReportSection s) {
        h.add("<h3>Analysis</h3>\n");
        if (s.analyses().isEmpty()) {
            h.add("<p class=\"none\">No analysis in this rollout.</p>\n");
            return;
        }
        for (ReportSection.AnalysisPart a : s.analyses()) {
            h.add("<h4>{}{}</h4>\n", a.name(), a.verdict() == null ? null : new Html().add(" {}", badge(a.verdict())));
            if (!a.message().isEmpty()) {
                h.add("<p class=\"msg\">{}</p>\n", a.message());
            }
            if (!a.scores().isEmpty()) {
                table(h, "<table class=\"scores\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th>"
                        + "<th>Judge</th><th class=\"num\">Score</th><th>Verdict</th><th>Why</th></tr></thead>\n"
                        + "<tbody>\n", a.scores(), sc -> new Html().add("<tr>{}<td>{}</td><td class=\"num\">{}</td>"
                                + "<td>{}</td><td class=\"msg\">{}</td></tr>\n", cells(sc.at()), sc.judge(), sc.score(),
                                sc.verdict(), sc.why()));
            }
            if (!a.measurements().isEmpty()) {
                table(h, "<table class=\"measurements\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th>"
                        + "<th>Metric</th><th>Query</th><th class=\"num\">Value</th><th>Verdict</th></tr>"
                        + "</thead>\n<tbody>\n", a.measurements(), m -> new Html().add("<tr>{}<td>{}</td>"
                                + "<td class=\"msg\"><code>{}</code></td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                                cells(m.at()), m.metric(), m.query(), m.value(), m.verdict()));
            }
        }
    }

    private static void timeline(Html h, ReportSection s) {
        h.add("<h3>Timeline</h3>\n");
        if (s.timeline().isEmpty()) {
            h.add("<p class=\"none\">Nothing was logged.</p>\n");
            return;
        }
        table(h, "<table class=\"timeline\">\n<thead><tr><th>Time (UTC)</th><th class=\"num\">+s</th><th>Event</th>"
                + "<th class=\"num\">Weight</th><th>Message</th></tr></thead>\n<tbody>\n", s.timeline(),
                t -> new Html().add("<tr>{}<td>{}</td><td class=\"num\">{}</td><td class=\"msg\">{}</td></tr>\n",
                        cells(t.at()), t.type(), t.weight(), t.message()));
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
