package io.jenkins.plugins.k8sdeploy.engine;

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
}
