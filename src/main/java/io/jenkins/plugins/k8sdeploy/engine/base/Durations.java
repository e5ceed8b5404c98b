package io.jenkins.plugins.k8sdeploy.engine.base;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them in a Jenkinsfile or on a command line: "90s", "5m", "1h", or ISO-8601 "PT5M". */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([smh])");

    private Durations() {}

    public static Duration parse(String value) throws DeployException {
        String v = value == null ? "" : value.strip();
        Matcher m = SHORT.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(v);
        } catch (RuntimeException e) {
            throw new DeployException("'" + value + "' is not a duration. Expected a number with s, m or h, such as"
                    + " 90s, 10m or 1h.");
        }
    }

    /** As a person reads it: {@code 0.7 s}, {@code 12 s}, {@code 5 min}, {@code 2 min 30 s}. */
    public static String format(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 10_000) {
            return java.math.BigDecimal.valueOf(ms / 100, 1).stripTrailingZeros().toPlainString() + " s";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + " s";
        }
        return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }
}
