package io.jenkins.plugins.k8sdeploy.engine.report;

import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Rollout;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the report writes times, durations and numbers: the same in the HTML report and on the Jenkins page. */
final class Formats {
    private Formats() {}

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

    /** Seconds with one decimal at most: {@code 0.4}, {@code 30}. */
    static String seconds(double s) {
        return BigDecimal.valueOf(Math.round(s * 10), 1).stripTrailingZeros().toPlainString();
    }

    /** {@code 0.4 s}, {@code 45 s}, {@code 5m 30s}, {@code 1h 02m 03s}. */
    static String duration(Duration d) {
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
}
