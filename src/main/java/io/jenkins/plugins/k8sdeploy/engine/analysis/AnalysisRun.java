package io.jenkins.plugins.k8sdeploy.engine.analysis;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Verdict;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.JudgedMetric;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Measurement;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.MetricProvider;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One analysis in progress: plain serializable state (specs, counters, samples, every measurement), moved on by
 * {@link #poll(Instant)}, which takes only the measurements that are due.
 *
 * <pre>{@code
 * AnalysisRun run = analyses.start("error-rate", services, clock.instant());
 * Verdict v = run.poll(clock.instant());        // RUNNING: poll again after run.next()
 * // ... Jenkins saves the run to disk and reads it back; providers are not serialized:
 * run.attach(providers);                        // or analyses.resume(run)
 * v = run.poll(clock.instant());                // continues where it stopped
 * run.record();                                 // for the deploy record and the build page
 * }</pre>
 *
 * <p>Each measurement is SUCCESSFUL, FAILED, INCONCLUSIVE or ERROR by Argo's rules (a true failure condition fails, a
 * true success condition succeeds, ...), each metric then by its limits (see {@link MetricSpec}). The run: any FAILED
 * metric (or judge) fails it at once and any ERROR errs it at once (FAILED is reported before ERROR when both happen in
 * one poll), so a canary is aborted without waiting for the rest. Otherwise it is RUNNING while a counted metric or the
 * judge has work left; then metrics with count 0 stop (SUCCESSFUL if they measured anything, else INCONCLUSIVE); then
 * INCONCLUSIVE if any part is, else SUCCESSFUL. Order, worst first: FAILED, ERROR, RUNNING, INCONCLUSIVE, SUCCESSFUL
 * (an inconclusive metric waits for the others, which may still fail the canary, before a person is asked).
 */
public final class AnalysisRun implements AnalysisPort.Run {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final String name;
    private final Instant started;
    private final List<MetricState> metrics = new ArrayList<>();
    private final JudgeState judge;
    private final List<MeasurementRecord> measurements = new ArrayList<>();
    private Instant lastPoll;
    private Duration next = Duration.ZERO;
    private Verdict verdict;
    private Instant finished;
    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "providers hold clients and credentials; attach() gives them back after a restart")
    private transient Map<String, MetricProvider> providers;

    AnalysisRun(AnalysisSpec spec, Map<String, String> variables, Instant now, Map<String, MetricProvider> providers)
            throws DeployException {
        this.name = spec.name();
        this.started = now;
        for (MetricSpec m : spec.metrics()) {
            metrics.add(new MetricState(m, Templates.substitute(m.query(), variables, "metric '" + m.name() + "'"),
                    now.plus(m.initialDelay())));
        }
        this.judge = spec.judge() == null ? null : new JudgeState(spec.judge(), variables, now);
        this.providers = providers;
    }

    /**
     * Gives the run its providers again after it was read back from disk (they are never serialized).
     *
     * @return this run
     */
    public AnalysisRun attach(Map<String, MetricProvider> providers) {
        this.providers = providers == null ? null : Map.copyOf(providers);
        return this;
    }

    /** True when providers are attached (always after {@code start}; after deserialization only once attached). */
    public boolean attached() {
        return providers != null;
    }

    /** The analysis's name. */
    public String name() {
        return name;
    }

    /**
     * Takes the measurements that are due at {@code now} (at most one per metric, and one judge round) and says where
     * the analysis stands. Never throws for anything a provider or a query does. Once the verdict is final it is
     * returned again without measuring. Without providers (read back from disk, not attached) it ends in ERROR
     * rather than measure nothing forever.
     */
    @Override
    public Verdict poll(Instant now) {
        if (verdict != null) {
            return verdict;
        }
        if (providers == null) {
            return finish(now, Status.ERROR, "analysis '" + name + "' was read back from disk without its metric"
                    + " providers, so nothing could be measured (the caller must re-attach them: Analyses.resume or"
                    + " AnalysisRun.attach)");
        }
        lastPoll = now;
        for (MetricState m : metrics) {
            if (m.status == Status.RUNNING && !now.isBefore(m.nextAt)) {
                m.measure(this, now);
                if (m.status == Status.FAILED || m.status == Status.ERROR) {
                    break;
                }
            }
        }
        if (judge != null && judge.status == Status.RUNNING && !now.isBefore(judge.nextAt)
                && metrics.stream().noneMatch(m -> m.status == Status.FAILED || m.status == Status.ERROR)) {
            judge.round(this, now);
        }
        return decide(now);
    }

    /** When to poll again: when the next measurement is due (at least a second from the last poll). */
    @Override
    public Duration next() {
        return next;
    }

    /** Every measurement so far, oldest first. */
    public List<MeasurementRecord> measurements() {
        return List.copyOf(measurements);
    }

    /** The final verdict, or null while the analysis runs. */
    public Verdict verdict() {
        return verdict;
    }

    /** The whole analysis as plain data, at any time. */
    @Override
    public AnalysisRecord record() {
        List<AnalysisRecord.Metric> ms = metrics.stream().map(m -> new AnalysisRecord.Metric(m.spec.name(),
                m.spec.provider(), m.query, m.status, m.spec.count(), m.measured, m.successful, m.failed,
                m.inconclusive, m.errors, m.consecutiveErrors, m.message)).toList();
        Verdict v = verdict != null ? verdict : new Verdict(Status.RUNNING, progress());
        return new AnalysisRecord(name, v.status(), v.message(), started, finished, ms,
                judge == null ? null : judge.report, measurements);
    }

    private Verdict decide(Instant now) {
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
            return finish(now, Status.FAILED, String.join("; ", failed));
        }
        if (!errored.isEmpty()) {
            return finish(now, Status.ERROR, String.join("; ", errored));
        }
        boolean busy = metrics.stream().anyMatch(m -> m.spec.count() > 0 && m.status == Status.RUNNING)
                || judge != null && judge.status == Status.RUNNING;
        if (busy) {
            Instant due = null;
            for (MetricState m : metrics) {
                if (m.status == Status.RUNNING && (due == null || m.nextAt.isBefore(due))) {
                    due = m.nextAt;
                }
            }
            if (judge != null && judge.status == Status.RUNNING && (due == null || judge.nextAt.isBefore(due))) {
                due = judge.nextAt;
            }
            Duration wait = Duration.between(now, due);
            next = wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
            return new Verdict(Status.RUNNING, progress());
        }
        for (MetricState m : metrics) {
            if (m.status == Status.RUNNING) {
                m.stop();
            }
        }
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
            return finish(now, Status.INCONCLUSIVE, String.join("; ", inconclusive));
        }
        List<String> passed = new ArrayList<>();
        for (MetricState m : metrics) {
            passed.add("metric '" + m.spec.name() + "' " + m.message);
        }
        if (judge != null) {
            passed.add("the judge passed the canary: " + judge.message);
        }
        return finish(now, Status.SUCCESSFUL, String.join("; ", passed));
    }

    private String progress() {
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

    private Verdict finish(Instant now, Status status, String message) {
        verdict = new Verdict(status, message);
        finished = now;
        next = Duration.ZERO;
        return verdict;
    }

    /** Runs one query, turning every way it can go wrong into an error measurement. */
    private Measurement fetch(String provider, String query, Instant at) {
        MetricProvider p = providers.get(provider);
        if (p == null) {
            return Measurement.error("no metric provider named '" + provider + "' is configured (known: "
                    + providers.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
        try {
            Measurement m = p.measure(query, at);
            return m != null ? m : Measurement.error("provider '" + provider + "' returned nothing");
        } catch (RuntimeException e) {
            return Measurement.error("provider '" + provider + "' failed: " + e);
        }
    }

    /** A measurement's phase and the sentence that explains it. */
    record Assessment(Status status, String message) {}

    /**
     * Judges one answer as Argo Rollouts does: a failure condition that is true fails; a success condition that is
     * true succeeds; with both given and neither true it is inconclusive; with only a success condition, false fails;
     * with only a failure condition, false succeeds; when both are true, failure wins. An error from the provider, or
     * a condition that cannot be evaluated on the values, is ERROR. No series, or only NaN, is what
     * {@link MetricSpec#onNoData()} says.
     */
    static Assessment assess(MetricSpec spec, String query, Instant at, Measurement r) {
        String asked = "query '" + query + "' at " + TIME.format(at);
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

    /** One metric's counters and schedule. */
    private static final class MetricState implements Serializable {
        private static final long serialVersionUID = 1L;
        final MetricSpec spec;
        final String query;
        Instant nextAt;
        Status status = Status.RUNNING;
        String message = "not measured yet";
        int measured;
        int successful;
        int failed;
        int inconclusive;
        int errors;
        int consecutiveErrors;
        String last;

        MetricState(MetricSpec spec, String query, Instant first) {
            this.spec = spec;
            this.query = query;
            this.nextAt = first;
        }

        void measure(AnalysisRun run, Instant now) {
            Measurement r = run.fetch(spec.provider(), query, now);
            Assessment a = assess(spec, query, now, r);
            run.measurements.add(MeasurementRecord.of(now, spec.name(), query, r.values(), a.status(), a.message()));
            last = a.message();
            if (a.status() == Status.ERROR) {
                errors++;
                consecutiveErrors++;
                Duration retry = spec.interval().compareTo(MetricSpec.ERROR_RETRY) < 0 ? spec.interval()
                        : MetricSpec.ERROR_RETRY;
                nextAt = now.plus(retry);
            } else {
                consecutiveErrors = 0;
                measured++;
                switch (a.status()) {
                    case SUCCESSFUL -> successful++;
                    case FAILED -> failed++;
                    default -> inconclusive++;
                }
                nextAt = now.plus(spec.interval());
            }
            String counts = counts();
            if (failed > spec.failureLimit()) {
                status = Status.FAILED;
                message = "failed " + times(failed) + ", more than failureLimit " + spec.failureLimit() + " ("
                        + counts + "); last: " + last;
            } else if (inconclusive > spec.inconclusiveLimit()) {
                status = Status.INCONCLUSIVE;
                message = "was inconclusive " + times(inconclusive) + ", more than inconclusiveLimit "
                        + spec.inconclusiveLimit() + " (" + counts + "); last: " + last;
            } else if (consecutiveErrors > spec.consecutiveErrorLimit()) {
                status = Status.ERROR;
                message = "could not be measured " + times(consecutiveErrors) + " in a row, more than"
                        + " consecutiveErrorLimit " + spec.consecutiveErrorLimit() + " (" + counts + "); last: "
                        + last;
            } else if (spec.count() > 0 && measured >= spec.count()) {
                status = Status.SUCCESSFUL;
                message = "passed (" + counts + ")";
            } else {
                message = "running (" + counts + "); last: " + last;
            }
        }

        /** The analysis ended while this count-0 metric was still measuring. */
        void stop() {
            if (measured > 0) {
                status = Status.SUCCESSFUL;
                message = "passed while the analysis ran (" + counts() + ")";
            } else {
                status = Status.INCONCLUSIVE;
                message = "never returned a value while the analysis ran (" + counts() + ")"
                        + (last == null ? "" : "; last: " + last);
            }
        }

        private String counts() {
            return measured + (spec.count() > 0 ? " of " + spec.count() : "") + " measured: " + successful
                    + " successful, " + failed + " failed, " + inconclusive + " inconclusive, " + errors + " errors";
        }

        private static String times(int n) {
            return n == 1 ? "once" : n + " times";
        }
    }

    /** The judge's samples, schedule and latest report. */
    private static final class JudgeState implements Serializable {
        private static final long serialVersionUID = 1L;
        final JudgeSpec spec;
        final List<String> canaryQueries = new ArrayList<>();
        final List<String> stableQueries = new ArrayList<>();
        final List<ArrayList<Double>> canary = new ArrayList<>();
        final List<ArrayList<Double>> stable = new ArrayList<>();
        Instant nextAt;
        int round;
        int consecutiveErrors;
        Status status = Status.RUNNING;
        String message = "no round yet";
        JudgeReport report;

        JudgeState(JudgeSpec spec, Map<String, String> variables, Instant now) throws DeployException {
            this.spec = spec;
            for (JudgedMetric m : spec.metrics()) {
                Map<String, String> c = new HashMap<>(variables);
                c.put("service", variables.get("canaryService"));
                c.put("scope", "canary");
                Map<String, String> s = new HashMap<>(variables);
                s.put("service", variables.get("stableService"));
                s.put("scope", "stable");
                canaryQueries.add(Templates.substitute(m.query(), c, "judged metric '" + m.name() + "' (canary)"));
                stableQueries.add(Templates.substitute(m.stableTemplate(), s, "judged metric '" + m.name()
                        + "' (stable)"));
                canary.add(new ArrayList<>());
                stable.add(new ArrayList<>());
            }
            this.nextAt = now.plus(spec.interval());
        }

        void round(AnalysisRun run, Instant now) {
            String error = null;
            for (int i = 0; i < spec.metrics().size(); i++) {
                JudgedMetric m = spec.metrics().get(i);
                for (boolean isCanary : new boolean[] {true, false}) {
                    String q = isCanary ? canaryQueries.get(i) : stableQueries.get(i);
                    ArrayList<Double> pile = isCanary ? canary.get(i) : stable.get(i);
                    String metric = "judge/" + m.name() + (isCanary ? "/canary" : "/stable");
                    String asked = "query '" + q + "' at " + TIME.format(now);
                    Measurement r = run.fetch(m.provider(), q, now);
                    if (r.failed()) {
                        error = metric + ": " + asked + " failed: " + r.error();
                        run.measurements.add(MeasurementRecord.of(now, metric, q, List.of(), Status.ERROR,
                                asked + " failed: " + r.error()));
                        continue;
                    }
                    int usable = 0;
                    for (double d : r.values()) {
                        if (Double.isFinite(d)) {
                            pile.add(d);
                            usable++;
                        }
                    }
                    if (pile.size() > JudgeSpec.MAX_POINTS) {
                        pile.subList(0, pile.size() - JudgeSpec.MAX_POINTS).clear();
                    }
                    run.measurements.add(MeasurementRecord.of(now, metric, q, r.values(), Status.RUNNING, asked
                            + (r.values().isEmpty() ? " returned no series" : " returned " + show(r.values()))
                            + (usable < r.values().size() ? " (" + (r.values().size() - usable)
                            + " NaN or infinite left out)" : "") + "; " + pile.size() + " points so far"));
                }
            }
            if (error != null) {
                consecutiveErrors++;
                if (consecutiveErrors > spec.consecutiveErrorLimit()) {
                    status = Status.ERROR;
                    message = "could not measure " + consecutiveErrors + " rounds in a row, more than"
                            + " consecutiveErrorLimit " + spec.consecutiveErrorLimit() + "; last: " + error;
                    return;
                }
                Duration retry = spec.interval().compareTo(MetricSpec.ERROR_RETRY) < 0 ? spec.interval()
                        : MetricSpec.ERROR_RETRY;
                nextAt = now.plus(retry);
                message = "round " + (round + 1) + " is retried: " + error;
                return;
            }
            consecutiveErrors = 0;
            round++;
            List<MetricJudgement> judged = new ArrayList<>();
            for (int i = 0; i < spec.metrics().size(); i++) {
                judged.add(Judge.classify(spec.metrics().get(i), toArray(canary.get(i)), toArray(stable.get(i)),
                        spec.minPoints()));
            }
            report = Judge.score(spec, judged, round, round >= spec.rounds());
            status = report.status();
            message = report.message();
            nextAt = now.plus(spec.interval());
        }

        private static double[] toArray(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
