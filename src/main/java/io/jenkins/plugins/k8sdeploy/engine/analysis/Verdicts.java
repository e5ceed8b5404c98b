package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Verdict;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRun.JudgeState;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRun.MetricState;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Measurement;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@link AnalysisRun}'s verdicts, by Argo's rules: one measurement by its conditions ({@link #assess}), one metric
 * by its limits ({@link #byLimits}), the run by its parts (failed or erred at once, else settled once no part has work
 * left). The run decides when to measure; this class what the measurements mean.
 */
final class Verdicts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Verdicts() {}

    /** A measurement's phase and the sentence that explains it. */
    record Assessment(Status status, String message) {}

    /** What a measurement asked, for its message: {@code query 'up' at 12:00:05Z}. */
    static String asked(String query, Instant at) {
        return "query '" + query + "' at " + TIME.format(at);
    }

    /**
     * Judges one answer as Argo Rollouts does: a failure condition that is true fails; a success condition that is
     * true succeeds; with both given and neither true it is inconclusive; with only a success condition, false fails;
     * with only a failure condition, false succeeds; when both are true, failure wins. An error from the provider, or
     * a condition that cannot be evaluated on the values, is ERROR. No series, or only NaN, is what
     * {@link MetricSpec#onNoData()} says.
     */
    static Assessment assess(MetricSpec spec, String query, Instant at, Measurement r) {
        String asked = asked(query, at);
        if (r.failed()) {
            return new Assessment(Status.ERROR, asked + " failed: " + r.error());
        }
        List<Double> values = r.values();
        boolean allNaN = !values.isEmpty() && values.stream().allMatch(d -> Double.isNaN(d));
        if ((values.isEmpty() || allNaN) && spec.onNoData() != MetricSpec.NoData.EVALUATE) {
            Status s = switch (spec.onNoData()) {
                case FAILED -> Status.FAILED;
                case INCONCLUSIVE -> Status.INCONCLUSIVE;
                default -> Status.ERROR;
            };
            return new Assessment(s, asked + (values.isEmpty() ? " returned no series" : " returned " + show(values))
                    + (s == Status.ERROR ? "" : " (onNoData " + spec.onNoData() + ")"));
        }
        String got = asked + " returned " + show(values);
        Condition success = spec.successCondition() == null ? null : condition(spec.successCondition());
        Condition failure = spec.failureCondition() == null ? null : condition(spec.failureCondition());
        boolean ok;
        boolean bad;
        try {
            ok = success != null && success.test(values);
        } catch (Condition.EvaluationException e) {
            return new Assessment(Status.ERROR, got + "; successCondition '" + success + "' cannot be evaluated: "
                    + e.getMessage());
        }
        try {
            bad = failure != null && failure.test(values);
        } catch (Condition.EvaluationException e) {
            return new Assessment(Status.ERROR, got + "; failureCondition '" + failure + "' cannot be evaluated: "
                    + e.getMessage());
        }
        if (bad) {
            return new Assessment(Status.FAILED, got + "; failureCondition '" + failure + "' is true"
                    + (ok ? " (successCondition '" + success + "' is true too; failure wins)" : ""));
        }
        if (success == null) {
            return new Assessment(Status.SUCCESSFUL, got + "; failureCondition '" + failure + "' is false");
        }
        if (ok) {
            return new Assessment(Status.SUCCESSFUL, got + "; successCondition '" + success + "' is true");
        }
        if (failure == null) {
            return new Assessment(Status.FAILED, got + "; successCondition '" + success + "' is false");
        }
        return new Assessment(Status.INCONCLUSIVE, got + "; neither successCondition '" + success
                + "' nor failureCondition '" + failure + "' is true");
    }

    private static Condition condition(String source) {
        try {
            return Condition.parse(source);
        } catch (DeployException e) {
            throw new IllegalStateException("a condition was validated before the analysis started: " + source, e);
        }
    }

    static String show(List<Double> values) {
        List<String> shown = values.stream().limit(MeasurementRecord.MAX_VALUES).map(Judge::num).toList();
        return "[" + String.join(", ", shown) + (values.size() > shown.size() ? ", ... (" + values.size()
                + " values)" : "") + "]";
    }

    /**
     * A metric after a measurement, by its limits (see {@link MetricSpec}): FAILED past failureLimit, INCONCLUSIVE
     * past inconclusiveLimit, ERROR past consecutiveErrorLimit errors in a row, SUCCESSFUL once it measured its count,
     * else still RUNNING.
     */
    static Verdict byLimits(MetricState m) {
        MetricSpec spec = m.spec;
        String counts = counts(m);
        if (m.failed > spec.failureLimit()) {
            return new Verdict(Status.FAILED, "failed " + times(m.failed) + ", more than failureLimit "
                    + spec.failureLimit() + " (" + counts + "); last: " + m.last);
        }
        if (m.inconclusive > spec.inconclusiveLimit()) {
            return new Verdict(Status.INCONCLUSIVE, "was inconclusive " + times(m.inconclusive)
                    + ", more than inconclusiveLimit " + spec.inconclusiveLimit() + " (" + counts + "); last: "
                    + m.last);
        }
        if (m.consecutiveErrors > spec.consecutiveErrorLimit()) {
            return new Verdict(Status.ERROR, "could not be measured " + times(m.consecutiveErrors) + " in a row,"
                    + " more than consecutiveErrorLimit " + spec.consecutiveErrorLimit() + " (" + counts + "); last: "
                    + m.last);
        }
        if (spec.count() > 0 && m.measured >= spec.count()) {
            return new Verdict(Status.SUCCESSFUL, "passed (" + counts + ")");
        }
        return new Verdict(Status.RUNNING, "running (" + counts + "); last: " + m.last);
    }

    /** A count-0 metric that was still measuring when the analysis ended. */
    static Verdict stopped(MetricState m) {
        if (m.measured > 0) {
            return new Verdict(Status.SUCCESSFUL, "passed while the analysis ran (" + counts(m) + ")");
        }
        return new Verdict(Status.INCONCLUSIVE, "never returned a value while the analysis ran (" + counts(m) + ")"
                + (m.last == null ? "" : "; last: " + m.last));
    }

    /**
     * FAILED when a metric or the judge failed (errors added to the message), else ERROR when one erred, else null:
     * either ends the run at once.
     */
    static Verdict failedOrErred(List<MetricState> metrics, JudgeState judge) {
        List<String> failed = new ArrayList<>();
        List<String> errored = new ArrayList<>();
        for (MetricState m : metrics) {
            if (m.status == Status.FAILED) {
                failed.add("metric '" + m.spec.name() + "' " + m.message);
            } else if (m.status == Status.ERROR) {
                errored.add("metric '" + m.spec.name() + "' " + m.message);
            }
        }
        if (judge != null && judge.status == Status.FAILED) {
            failed.add("the judge failed the canary: " + judge.message);
        } else if (judge != null && judge.status == Status.ERROR) {
            errored.add("the judge " + judge.message);
        }
        if (!failed.isEmpty()) {
            failed.addAll(errored);
            return new Verdict(Status.FAILED, String.join("; ", failed));
        }
        if (!errored.isEmpty()) {
            return new Verdict(Status.ERROR, String.join("; ", errored));
        }
        return null;
    }

    /** The verdict once no part has work left: INCONCLUSIVE if any part is, else SUCCESSFUL. */
    static Verdict settled(List<MetricState> metrics, JudgeState judge) {
        List<String> inconclusive = new ArrayList<>();
        for (MetricState m : metrics) {
            if (m.status == Status.INCONCLUSIVE) {
                inconclusive.add("metric '" + m.spec.name() + "' " + m.message);
            }
        }
        if (judge != null && judge.status == Status.INCONCLUSIVE) {
            inconclusive.add("the judge could not decide: " + judge.message);
        }
        if (!inconclusive.isEmpty()) {
            return new Verdict(Status.INCONCLUSIVE, String.join("; ", inconclusive));
        }
        List<String> passed = new ArrayList<>();
        for (MetricState m : metrics) {
            passed.add("metric '" + m.spec.name() + "' " + m.message);
        }
        if (judge != null) {
            passed.add("the judge passed the canary: " + judge.message);
        }
        return new Verdict(Status.SUCCESSFUL, String.join("; ", passed));
    }

    /** Where each part stands while the run goes on: {@code measuring: errors 2/5, judge round 0 of 10}. */
    static String progress(List<MetricState> metrics, JudgeState judge) {
        List<String> parts = new ArrayList<>();
        for (MetricState m : metrics) {
            parts.add(m.spec.name() + " " + (m.status != Status.RUNNING ? m.status.name().toLowerCase(Locale.ROOT)
                    : m.spec.count() > 0 ? m.measured + "/" + m.spec.count() : m.measured + " measured"));
        }
        if (judge != null) {
            parts.add("judge " + (judge.report == null ? "round 0 of " + judge.spec.rounds() : judge.report.message()));
        }
        return "measuring: " + String.join(", ", parts);
    }

    private static String counts(MetricState m) {
        return m.measured + (m.spec.count() > 0 ? " of " + m.spec.count() : "") + " measured: " + m.successful
                + " successful, " + m.failed + " failed, " + m.inconclusive + " inconclusive, " + m.errors + " errors";
    }

    private static String times(int n) {
        return n == 1 ? "once" : n + " times";
    }
}
