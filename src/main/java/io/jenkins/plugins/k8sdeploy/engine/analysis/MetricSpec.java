package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One metric of an analysis, as Argo Rollouts users know it: a query run every {@code interval}, each answer judged by
 * a success and/or failure condition, and limits that decide the metric.
 *
 * <pre>{@code
 * MetricSpec.of("error-rate", "prometheus",
 *         "sum(rate(http_requests_total{service=\"${canaryService}\",code=~\"5..\"}[1m]))"
 *         + " / sum(rate(http_requests_total{service=\"${canaryService}\"}[1m]))")
 *     .withSuccessCondition("result < 0.05")
 *     .withFailureLimit(1);
 * }</pre>
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code interval} 30s: Prometheus scrapes every 15-30s, so measuring more often reads the same samples
 *       again;</li>
 *   <li>{@code count} 5: an analysis step must end; 5 x 30s is about two and a half minutes. 0 means "as long as the
 *       other metrics (or the judge) of the analysis run", Argo's background metric; such a metric succeeds when the
 *       others finish only if it measured something;</li>
 *   <li>{@code initialDelay} 0; {@code failureLimit} 0 and {@code inconclusiveLimit} 0 (Argo's: the first failed or
 *       inconclusive measurement decides); {@code consecutiveErrorLimit} 4 (Argo's), errors retried after
 *       {@link #ERROR_RETRY} (or the interval when that is shorter);</li>
 *   <li>{@code onNoData} {@link NoData#ERROR}: a query that matched no series, or only NaN (e.g. 0/0 when the canary
 *       got no requests), measured nothing, and "nothing" must neither pass nor fail a canary on its own. Transient
 *       gaps are absorbed by the error limit; a query that never has data ends the metric in Error.</li>
 * </ul>
 *
 * <p>Limits compare as Argo's do: a metric fails when its failed measurements <em>exceed</em> {@code failureLimit}
 * ({@code failureLimit 2} tolerates two failures and fails on the third), is inconclusive when inconclusive ones exceed
 * {@code inconclusiveLimit}, and errs when consecutive errors exceed {@code consecutiveErrorLimit} (4 tolerates four in
 * a row, a fifth decides; any measured value resets the run of errors). Unlike Argo, errors do not count towards
 * {@code count}: a metric succeeds only after {@code count} measurements that returned values, so a metric whose
 * every measurement errored can never be reported successful.
 *
 * @param query the query; placeholders {@code ${namespace}}, {@code ${stableService}}, {@code ${canaryService}},
 *     {@code ${app}} and {@code ${stableHash}} (the stable pods' pod-template-hash) are filled in from the canary
 * @param successCondition a {@link Condition}, or null
 * @param failureCondition a {@link Condition}, or null; at least one of the two is required
 */
public record MetricSpec(
        String name,
        String provider,
        String query,
        String successCondition,
        String failureCondition,
        Duration interval,
        int count,
        Duration initialDelay,
        int failureLimit,
        int inconclusiveLimit,
        int consecutiveErrorLimit,
        NoData onNoData) implements Serializable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_COUNT = 5;
    public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
    /** How soon a measurement that errored is retried (Argo's 10s), unless the interval is shorter. */
    public static final Duration ERROR_RETRY = Duration.ofSeconds(10);

    /**
     * What a measurement is when the query matched no series or returned only NaN.
     * {@code EVALUATE} hands the values to the conditions as they are, for conditions that expect it, such as
     * {@code len(result) == 0 || result < 0.05} (no 5xx series at all means no errors).
     */
    public enum NoData {
        ERROR, FAILED, INCONCLUSIVE, EVALUATE
    }

    public MetricSpec {
        name = strip(name);
        provider = strip(provider);
        query = query == null ? null : query.strip();
        successCondition = strip(successCondition);
        failureCondition = strip(failureCondition);
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        initialDelay = initialDelay == null ? Duration.ZERO : initialDelay;
        onNoData = onNoData == null ? NoData.ERROR : onNoData;
    }

    /** A metric with every default; add at least a condition. */
    public static MetricSpec of(String name, String provider, String query) {
        return new MetricSpec(name, provider, query, null, null, DEFAULT_INTERVAL, DEFAULT_COUNT, Duration.ZERO, 0, 0,
                DEFAULT_CONSECUTIVE_ERROR_LIMIT, NoData.ERROR);
    }

    public MetricSpec withSuccessCondition(String c) {
        return new MetricSpec(name, provider, query, c, failureCondition, interval, count, initialDelay, failureLimit,
                inconclusiveLimit, consecutiveErrorLimit, onNoData);
    }

    public MetricSpec withFailureCondition(String c) {
        return new MetricSpec(name, provider, query, successCondition, c, interval, count, initialDelay, failureLimit,
                inconclusiveLimit, consecutiveErrorLimit, onNoData);
    }

    public MetricSpec withInterval(Duration d) {
        return new MetricSpec(name, provider, query, successCondition, failureCondition, d, count, initialDelay,
                failureLimit, inconclusiveLimit, consecutiveErrorLimit, onNoData);
    }

    public MetricSpec withCount(int n) {
        return new MetricSpec(name, provider, query, successCondition, failureCondition, interval, n, initialDelay,
                failureLimit, inconclusiveLimit, consecutiveErrorLimit, onNoData);
    }

    public MetricSpec withInitialDelay(Duration d) {
        return new MetricSpec(name, provider, query, successCondition, failureCondition, interval, count, d,
                failureLimit, inconclusiveLimit, consecutiveErrorLimit, onNoData);
    }

    public MetricSpec withFailureLimit(int n) {
        return new MetricSpec(name, provider, query, successCondition, failureCondition, interval, count, initialDelay,
                n, inconclusiveLimit, consecutiveErrorLimit, onNoData);
    }

    public MetricSpec withInconclusiveLimit(int n) {
        return new MetricSpec(name, provider, query, successCondition, failureCondition, interval, count, initialDelay,
                failureLimit, n, consecutiveErrorLimit, onNoData);
    }

    public MetricSpec withConsecutiveErrorLimit(int n) {
        return new MetricSpec(name, provider, query, successCondition, failureCondition, interval, count, initialDelay,
                failureLimit, inconclusiveLimit, n, onNoData);
    }

    public MetricSpec withOnNoData(NoData d) {
        return new MetricSpec(name, provider, query, successCondition, failureCondition, interval, count, initialDelay,
                failureLimit, inconclusiveLimit, consecutiveErrorLimit, d);
    }

    /** Checks everything that can be checked before a canary starts; one message lists every problem. */
    public void validate() throws DeployException {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new DeployException(String.join(" ", p));
        }
    }

    /** Every problem of this metric, each a sentence naming the metric; empty when it is fine. */
    List<String> problems() {
        String m = "Metric '" + name + "': ";
        List<String> out = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            out.add("A metric name must be letters, digits, '.', '_' or '-', starting with a letter or digit; got '"
                    + name + "'.");
        }
        if (provider == null) {
            out.add(m + "no provider is named.");
        }
        if (query == null || query.isEmpty()) {
            out.add(m + "the query is empty.");
        } else {
            List<String> unknown = Templates.unknown(query, Templates.CANARY);
            if (!unknown.isEmpty()) {
                out.add(m + "the query uses " + String.join(", ", unknown) + "; the placeholders are ${namespace},"
                        + " ${stableService}, ${canaryService}, ${app} and ${stableHash} (write $${x} for a literal"
                        + " ${x}).");
            }
        }
        if (successCondition == null && failureCondition == null) {
            out.add(m + "it has neither a successCondition nor a failureCondition, so it would pass whatever it"
                    + " measures; give one, e.g. successCondition 'result < 0.05'.");
        }
        String[] conditions = {successCondition, failureCondition};
        for (int i = 0; i < 2; i++) {
            if (conditions[i] != null) {
                try {
                    Condition.parse(conditions[i]);
                } catch (DeployException e) {
                    out.add(m + (i == 0 ? "successCondition " : "failureCondition ")
                            + e.getMessage().replaceFirst("^condition ", "") + ".");
                }
            }
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            out.add(m + "interval " + interval + " is shorter than 1s.");
        }
        if (initialDelay.isNegative()) {
            out.add(m + "initialDelay " + initialDelay + " is negative.");
        }
        if (count < 0) {
            out.add(m + "count " + count + " is negative (0 means: as long as the other metrics run).");
        }
        if (failureLimit < 0 || inconclusiveLimit < 0 || consecutiveErrorLimit < 0) {
            out.add(m + "failureLimit, inconclusiveLimit and consecutiveErrorLimit must be 0 or more; got "
                    + failureLimit + ", " + inconclusiveLimit + " and " + consecutiveErrorLimit + ".");
        }
        return out;
    }

    private static String strip(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
