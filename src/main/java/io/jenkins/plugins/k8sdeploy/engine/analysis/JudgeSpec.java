package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The statistical judge of an analysis, Kayenta-style: every {@code interval} each judged metric is queried once for
 * the canary and once for stable, the values pile up, and after each round the {@link Judge} compares the two piles.
 *
 * <pre>{@code
 * JudgeSpec.of(
 *         JudgeSpec.JudgedMetric.of("latency", "prometheus",
 *                 "histogram_quantile(0.9, sum by (le, pod) (rate(latency_bucket{service=\"${service}\"}[1m])))"),
 *         JudgeSpec.JudgedMetric.of("errors", "prometheus", "...").asCritical())
 *     .withRounds(10);
 * }</pre>
 *
 * <p>Defaults, and why: {@code interval} 1m and {@code rounds} 10 (ten minutes of data, Kayenta's usual interval
 * length); {@code minPoints} 20 per side: the Mann-Whitney p-value is a normal approximation that is poor below about
 * 20 points, and Kayenta's 50 would make every canary wait for very long. A query returning one value per pod gives
 * several points a round. {@code passScore} 90 and {@code marginalScore} 75 (the thresholds Kayenta's examples use);
 * {@code consecutiveErrorLimit} 4 as for metrics. At most {@link #MAX_POINTS} points per side are kept (the newest).
 *
 * @param rounds how many rounds of data to collect before the final score
 * @param minPoints below this many points on either side a metric is NODATA, never Pass
 */
public record JudgeSpec(
        List<JudgedMetric> metrics,
        Duration interval,
        int rounds,
        int minPoints,
        double passScore,
        double marginalScore,
        int consecutiveErrorLimit) implements Serializable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_ROUNDS = 10;
    public static final int DEFAULT_MIN_POINTS = 20;
    public static final double DEFAULT_PASS_SCORE = 90;
    public static final double DEFAULT_MARGINAL_SCORE = 75;
    public static final int MAX_POINTS = 1000;

    /** Which way a change is bad. */
    public enum Direction {
        /** Higher is bad (latency, errors, CPU): the default, so a canary that got faster is not rolled back. */
        INCREASE,
        /** Lower is bad (throughput, success rate). */
        DECREASE,
        /** Any significant change is bad (Kayenta's default). */
        EITHER
    }

    public JudgeSpec {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        interval = interval == null ? DEFAULT_INTERVAL : interval;
    }

    /** A judge of these metrics with every default. */
    public static JudgeSpec of(JudgedMetric... metrics) {
        return new JudgeSpec(List.of(metrics), DEFAULT_INTERVAL, DEFAULT_ROUNDS, DEFAULT_MIN_POINTS,
                DEFAULT_PASS_SCORE, DEFAULT_MARGINAL_SCORE, MetricSpec.DEFAULT_CONSECUTIVE_ERROR_LIMIT);
    }

    public JudgeSpec withInterval(Duration d) {
        return new JudgeSpec(metrics, d, rounds, minPoints, passScore, marginalScore, consecutiveErrorLimit);
    }

    public JudgeSpec withRounds(int n) {
        return new JudgeSpec(metrics, interval, n, minPoints, passScore, marginalScore, consecutiveErrorLimit);
    }

    public JudgeSpec withMinPoints(int n) {
        return new JudgeSpec(metrics, interval, rounds, n, passScore, marginalScore, consecutiveErrorLimit);
    }

    public JudgeSpec withScores(double pass, double marginal) {
        return new JudgeSpec(metrics, interval, rounds, minPoints, pass, marginal, consecutiveErrorLimit);
    }

    public JudgeSpec withConsecutiveErrorLimit(int n) {
        return new JudgeSpec(metrics, interval, rounds, minPoints, passScore, marginalScore, n);
    }

    /** Checks everything that can be checked before a canary starts. */
    public void validate() throws DeployException {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new DeployException(String.join(" ", p));
        }
    }

    List<String> problems() {
        List<String> out = new ArrayList<>();
        if (metrics.isEmpty()) {
            out.add("The judge has no metrics to compare.");
        }
        Set<String> names = new HashSet<>();
        for (JudgedMetric m : metrics) {
            if (!names.add(m.name())) {
                out.add("The judge compares metric '" + m.name() + "' twice; metric names must differ.");
            }
            out.addAll(m.problems());
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            out.add("Judge: interval " + interval + " is shorter than 1s.");
        }
        if (rounds < 1) {
            out.add("Judge: rounds must be at least 1; got " + rounds + ".");
        }
        if (minPoints < 3) {
            out.add("Judge: minPoints must be at least 3 (20 or more is wise); got " + minPoints + ".");
        }
        if (!(0 <= marginalScore && marginalScore <= passScore && passScore <= 100)) {
            out.add("Judge: scores must satisfy 0 <= marginal <= pass <= 100; got marginal " + marginalScore
                    + " and pass " + passScore + ".");
        }
        if (consecutiveErrorLimit < 0) {
            out.add("Judge: consecutiveErrorLimit must be 0 or more; got " + consecutiveErrorLimit + ".");
        }
        return out;
    }

    /**
     * One metric the judge compares. The query runs once per side; {@code ${service}} becomes that side's Service
     * and {@code ${scope}} becomes {@code canary} or {@code stable} (the other placeholders as in {@link MetricSpec}).
     * Give {@code stableQuery} when the stable side needs a different query altogether.
     *
     * <pre>{@code
     * JudgedMetric.of("latency", "prometheus", "latency_seconds{track=\"${scope}\"}")
     *     .withDirection(Direction.INCREASE).withTolerance(0.1);
     * }</pre>
     *
     * <p>Defaults: direction INCREASE, tolerance 0.25 (Kayenta's: a difference of at most 25% of stable's median is
     * not a failure even when significant), confidence 0.98 (p &lt; 0.02 is significant), weight 1, not critical.
     *
     * @param stableQuery the stable side's query, or null to use {@code query} for both
     * @param critical a High or Low classification fails the whole analysis at once (score 0)
     */
    public record JudgedMetric(
            String name,
            String provider,
            String query,
            String stableQuery,
            Direction direction,
            double tolerance,
            double confidence,
            boolean critical,
            double weight) implements Serializable {

        public static final double DEFAULT_TOLERANCE = 0.25;
        public static final double DEFAULT_CONFIDENCE = 0.98;

        public JudgedMetric {
            direction = direction == null ? Direction.INCREASE : direction;
            query = query == null ? null : query.strip();
            stableQuery = stableQuery == null || stableQuery.isBlank() ? null : stableQuery.strip();
        }

        public static JudgedMetric of(String name, String provider, String query) {
            return new JudgedMetric(name, provider, query, null, Direction.INCREASE, DEFAULT_TOLERANCE,
                    DEFAULT_CONFIDENCE, false, 1);
        }

        public JudgedMetric withStableQuery(String q) {
            return new JudgedMetric(name, provider, query, q, direction, tolerance, confidence, critical, weight);
        }

        public JudgedMetric withDirection(Direction d) {
            return new JudgedMetric(name, provider, query, stableQuery, d, tolerance, confidence, critical, weight);
        }

        public JudgedMetric withTolerance(double t) {
            return new JudgedMetric(name, provider, query, stableQuery, direction, t, confidence, critical, weight);
        }

        public JudgedMetric withConfidence(double c) {
            return new JudgedMetric(name, provider, query, stableQuery, direction, tolerance, c, critical, weight);
        }

        public JudgedMetric withWeight(double w) {
            return new JudgedMetric(name, provider, query, stableQuery, direction, tolerance, confidence, critical, w);
        }

        public JudgedMetric asCritical() {
            return new JudgedMetric(name, provider, query, stableQuery, direction, tolerance, confidence, true,
                    weight);
        }

        /** The stable side's query template. */
        public String stableTemplate() {
            return stableQuery != null ? stableQuery : query;
        }

        List<String> problems() {
            String m = "Judged metric '" + name + "': ";
            List<String> out = new ArrayList<>();
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                out.add("A metric name must be letters, digits, '.', '_' or '-', starting with a letter or digit;"
                        + " got '" + name + "'.");
            }
            if (provider == null || provider.isBlank()) {
                out.add(m + "no provider is named.");
            }
            if (query == null || query.isEmpty()) {
                out.add(m + "the query is empty.");
            } else {
                List<String> unknown = new ArrayList<>(Templates.unknown(query, Templates.JUDGED));
                unknown.addAll(Templates.unknown(stableQuery, Templates.JUDGED));
                if (!unknown.isEmpty()) {
                    out.add(m + "the query uses " + String.join(", ", unknown) + "; the placeholders are"
                            + " ${service}, ${scope}, ${namespace}, ${stableService}, ${canaryService}, ${app} and"
                            + " ${stableHash}.");
                }
                if (stableQuery == null && !query.contains("${service}") && !query.contains("${scope}")) {
                    out.add(m + "the query has neither ${service} nor ${scope}, so canary and stable would run the"
                            + " same query; use one of them, or give a stableQuery.");
                }
            }
            if (!(tolerance >= 0)) {
                out.add(m + "tolerance must be 0 or more (0.25 = 25% of stable's median); got " + tolerance + ".");
            }
            if (!(confidence > 0 && confidence < 1)) {
                out.add(m + "confidence must be between 0 and 1 (0.98 = p < 0.02 is significant); got " + confidence
                        + ".");
            }
            if (!(weight > 0) || Double.isInfinite(weight)) {
                out.add(m + "weight must be more than 0; got " + weight + ".");
            }
            return out;
        }
    }
}
