package io.jenkins.plugins.k8sdeploy.engine.report;

import static io.jenkins.plugins.k8sdeploy.engine.report.ChartGeometry.coord;
import static io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.text;

import io.jenkins.plugins.k8sdeploy.engine.report.ChartGeometry.Stretch;
import io.jenkins.plugins.k8sdeploy.engine.report.ChartGeometry.XY;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Approval;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Pause;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Point;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Series;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Stop;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.WeightStep;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Band;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Chart;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Dot;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Frame;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.GridLine;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Key;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.SeriesLine;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.Tick;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection.VerticalLine;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rollout's chart as {@link ReportSection.Chart}: the {@link ChartGeometry}'s numbers as SVG coordinates, with the
 * labels, tooltips, colours and legend that go with them. Text only, no markup.
 */
final class ReportChart {
    private static final String[] SERIES_COLOURS = {"#cf222e", "#9a6700", "#8250df", "#1a7f37", "#bf3989"};
    private static final String[] SERIES_DASHES = {"6 3", "2 3", "8 3 2 3", "4 4", "1 2"};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private ReportChart() {}

    /** The chart of {@code r}; null when it has neither weights nor series points. */
    static Chart of(Rollout r) {
        List<Series> series = r.series();
        if (r.weights().isEmpty() && series.stream().allMatch(x -> x.points().isEmpty())) {
            return null;
        }
        ChartGeometry g = ChartGeometry.of(r);
        String unit = String.join(", ", series.stream().map(Series::unit).filter(u -> u != null && !u.isBlank())
                .distinct().toList());
        List<GridLine> grid = new ArrayList<>();
        for (int p : ChartGeometry.GRID_PERCENTS) {
            double y = ChartGeometry.yWeight(p);
            grid.add(new GridLine(coord(y), coord(y + 4), p + "%",
                    series.isEmpty() ? "" : Formats.number(g.rightMax() * p / 100.0)));
        }
        List<Tick> ticks = new ArrayList<>();
        for (long t : g.tickSeconds()) {
            ticks.add(new Tick(coord(g.x(t)), tickLabel(t), CLOCK.format(r.summary().started().plusSeconds(t))));
        }
        List<SeriesLine> lines = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            lines.add(seriesLine(r, g, series.get(i), i));
        }
        List<Dot> weightDots = new ArrayList<>();
        for (WeightStep w : r.weights()) {
            XY p = g.weightDot(w);
            weightDots.add(new Dot(coord(p.x()), coord(p.y()), text(w.weight() + "% at " + Formats.iso(w.from())
                    + " " + Formats.relative(r, w.from()) + " (" + w.type() + ")")));
        }
        String app = r.summary().app() == null ? "null" : r.summary().app();
        return new Chart(text("Canary weight over time for " + app), text("Canary weight over time: " + app),
                Frame.STANDARD, bands(r, g), stopLines(r, g), grid, !series.isEmpty(),
                text(unit.isEmpty() ? "value" : unit), ticks, lines,
                r.weights().isEmpty() ? null : ChartGeometry.points(g.weightLine(r.weights())), weightDots,
                keys(r, series));
    }

    /** Series number {@code i}: its colour and dashes, its line, and a dot per point when it has at most 200. */
    private static SeriesLine seriesLine(Rollout r, ChartGeometry g, Series sr, int i) {
        List<XY> points = new ArrayList<>();
        List<Dot> dots = new ArrayList<>();
        for (Point p : sr.points()) {
            XY xy = g.seriesPoint(p);
            points.add(xy);
            if (sr.points().size() <= 200) {
                dots.add(new Dot(coord(xy.x()), coord(xy.y()), text(sr.name() + ": " + Formats.number(p.value())
                        + unitSuffix(sr.unit()) + " at " + Formats.iso(p.at()) + " " + Formats.relative(r, p.at()))));
            }
        }
        return new SeriesLine(i + 1, SERIES_COLOURS[i % SERIES_COLOURS.length],
                SERIES_DASHES[i % SERIES_DASHES.length], ChartGeometry.points(points), text(sr.name()
                        + (sr.unit() == null || sr.unit().isBlank() ? "" : " (" + sr.unit() + ")")), dots);
    }

    private static List<Band> bands(Rollout r, ChartGeometry g) {
        List<Band> bands = new ArrayList<>();
        for (Pause p : r.pauses()) {
            bands.add(band(g, "band-pause", p.from(), p.until(), "Paused" + (p.weight() == null ? ""
                    : " at " + p.weight() + "%") + " for " + Formats.duration(p.held()) + ": " + p.detail()));
        }
        for (Approval a : r.approvals()) {
            if (a.requested() != null) {
                Instant until = a.decided() != null ? a.decided() : r.summary().finished();
                bands.add(band(g, "band-approval", a.requested(), until, "Waiting for approval ("
                        + a.outcome() + ") for " + Formats.duration(Duration.between(a.requested(), until))
                        + ": " + a.request()));
            }
        }
        return bands;
    }

    private static Band band(ChartGeometry g, String cssClass, Instant from, Instant until, String title) {
        Stretch s = g.stretch(from, until);
        return new Band(cssClass, coord(s.x()), coord(s.width()), text(title));
    }

    private static List<VerticalLine> stopLines(Rollout r, ChartGeometry g) {
        List<VerticalLine> lines = new ArrayList<>();
        for (Stop s : r.stops()) {
            if (s.at() != null) {
                lines.add(new VerticalLine(coord(g.x(s.at())), text(s.kind() + " at " + Formats.iso(s.at()) + " "
                        + Formats.relative(r, s.at()) + ": " + s.reason())));
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

    /** A tick's label: {@code 0}, {@code +30s}, {@code +2m}, {@code +2m 30s}, {@code +1h}, {@code +1h 30m}. */
    static String tickLabel(long t) {
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

    private static String unitSuffix(String unit) {
        return unit == null || unit.isBlank() ? "" : unit.equals("%") ? "%" : " " + unit;
    }
}
