package io.jenkins.plugins.k8sdeploy.engine.report;

import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Point;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Series;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.WeightStep;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the chart of one rollout puts things, in SVG user units of a {@code 0 0 1000 270} view box: the scales (time
 * to x over the plot's 60-960, the weight's 0-100 % and the second axis' values to y over 220-20), the ticks of the
 * time axis, and the points of the lines. Numbers only: no text, no markup ({@link ReportChart} labels them,
 * {@link HtmlReport} and the Jenkins page draw them).
 *
 * <p>A rollout of 900 s with an error rate up to 7.2 %: 30 s from the start is x 90, a weight of 20 % is y 180, the
 * second axis goes up to 10 (so 5 is y 120), and the time axis has a tick every 120 s (at most 8 steps).
 *
 * @param start time 0 of the time axis (the rollout's start)
 * @param span seconds the time axis covers, at least 1
 * @param rightMax the top of the second axis, a round number
 */
record ChartGeometry(Instant start, double span, double rightMax) {
    /** The view box, and the plot's edges inside it. */
    static final int VIEW_W = 1000;
    static final int VIEW_H = 270;
    static final int PLOT_LEFT = 60;
    static final int PLOT_RIGHT = 960;
    static final int PLOT_TOP = 20;
    static final int PLOT_BOTTOM = 220;

    /** The weights the grid draws a line at. */
    static final List<Integer> GRID_PERCENTS = List.of(0, 25, 50, 75, 100);

    private static final long[] TICK_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
        21600, 43200, 86400};

    /** A point of the plot. */
    record XY(double x, double y) {}

    /** A stretch of the time axis: where it starts and how wide it is (at least 1, so it shows). */
    record Stretch(double x, double width) {}

    /** The geometry of {@code r}'s chart: its time from the start to its end (or its last series point). */
    static ChartGeometry of(Rollout r) {
        return new ChartGeometry(r.summary().started(), span(r), rightMax(r.series()));
    }

    /** Seconds the time axis covers: from the start to the end of the rollout or its last series point; at least 1. */
    static double span(Rollout r) {
        double end = r.secondsFromStart(r.summary().finished());
        for (Series s : r.series()) {
            for (Point p : s.points()) {
                end = Math.max(end, r.secondsFromStart(p.at()));
            }
        }
        return Math.max(1, end);
    }

    /** A round top for the second axis (1, 2, 2.5 or 5 times a power of ten) at or above every value: 7.2 gives 10. */
    static double rightMax(List<Series> series) {
        double max = 0;
        for (Series s : series) {
            for (Point p : s.points()) {
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

    /** Seconds from the start to {@code at}, as {@link Rollout#secondsFromStart}. */
    double seconds(Instant at) {
        return Duration.between(start, at).toMillis() / 1000.0;
    }

    /** The x of a time; times outside the axis are drawn at its ends. */
    double x(Instant at) {
        return x(seconds(at));
    }

    /** The x of seconds from the start, held to the axis. */
    double x(double seconds) {
        double t = Math.max(0, Math.min(span, seconds));
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * t / span;
    }

    /** The y of a weight, held to 0-100 %: 0 is the plot's bottom (220), 100 its top (20). */
    static double yWeight(double percent) {
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * Math.max(0, Math.min(100, percent)) / 100.0;
    }

    /** The y of a value on the second axis, held to 0-{@link #rightMax}. */
    double yRight(double value) {
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * Math.max(0, Math.min(rightMax, value)) / rightMax;
    }

    /** Where a pause or an approval wait from {@code from} until {@code until} lies on the time axis. */
    Stretch stretch(Instant from, Instant until) {
        double x0 = x(from);
        return new Stretch(x0, Math.max(1, x(until) - x0));
    }

    /**
     * The weight steps as a line: each step's level from its start to the next step's start, then straight up or
     * down; the last level until the end of the last step. 0 % from 0 s and 20 % from 30 s until 900 s give
     * (60,220) (90,220) (90,180) (960,180).
     */
    List<XY> weightLine(List<WeightStep> steps) {
        List<XY> points = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            WeightStep w = steps.get(i);
            double x0 = x(w.from());
            if (i > 0) {
                points.add(new XY(x0, yWeight(steps.get(i - 1).weight())));
            }
            points.add(new XY(x0, yWeight(w.weight())));
            if (i == steps.size() - 1) {
                points.add(new XY(x(w.until()), yWeight(w.weight())));
            }
        }
        return points;
    }

    /** Where a step of the weight starts. */
    XY weightDot(WeightStep w) {
        return new XY(x(w.from()), yWeight(w.weight()));
    }

    /** A point of a series on the second axis. */
    XY seriesPoint(Point p) {
        return new XY(x(p.at()), yRight(p.value()));
    }

    /**
     * Seconds between ticks of the time axis: the first of 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6,
     * 12 h and 1 day that makes at most 8 steps (900 s: 120 s), else whole days.
     */
    long tickStep() {
        for (long s : TICK_STEPS) {
            if (span / s <= 8) {
                return s;
            }
        }
        return (long) Math.ceil(span / 8 / 86400) * 86400;
    }

    /** The ticks of the time axis, in seconds from the start: 0, a step, two steps, ... up to the span. */
    List<Long> tickSeconds() {
        List<Long> ticks = new ArrayList<>();
        long step = tickStep();
        for (long t = 0; t <= span + 1e-9; t += step) {
            ticks.add(t);
        }
        return ticks;
    }

    /** An SVG coordinate: one decimal at most, none when it is whole ({@code 65.625} is {@code 65.6}). */
    static String coord(double v) {
        return BigDecimal.valueOf(Math.round(v * 10), 1).stripTrailingZeros().toPlainString();
    }

    /** Points as a polyline's {@code points} attribute: {@code 60,220 90,220 90,180}. */
    static String points(List<XY> points) {
        StringBuilder s = new StringBuilder();
        for (XY p : points) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(coord(p.x())).append(',').append(coord(p.y()));
        }
        return s.toString();
    }
}
