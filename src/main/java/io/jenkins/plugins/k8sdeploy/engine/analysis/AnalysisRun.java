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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 *
 * <p>This class keeps the state and the schedule (what is due, when to poll again); {@code Verdicts} holds the rules
 * above. Its state classes stay nested here, as they were, so that runs saved before read back.
 */
public final class AnalysisRun implements AnalysisPort.Run {
    private static final long serialVersionUID = 1L;

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
            return finish(now, new Verdict(Status.ERROR, "analysis '" + name + "' was read back from disk without"
                    + " its metric providers, so nothing could be measured (the caller must re-attach them:"
                    + " Analyses.resume or AnalysisRun.attach)"));
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
        Verdict v = verdict != null ? verdict : new Verdict(Status.RUNNING, Verdicts.progress(metrics, judge));
        return new AnalysisRecord(name, v.status(), v.message(), started, finished, ms,
                judge == null ? null : judge.report, measurements);
    }

    /** The verdict when something failed or erred or nothing is left to do; else RUNNING, and when to poll again. */
    private Verdict decide(Instant now) {
        Verdict ended = Verdicts.failedOrErred(metrics, judge);
        if (ended != null) {
            return finish(now, ended);
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
            return new Verdict(Status.RUNNING, Verdicts.progress(metrics, judge));
        }
        for (MetricState m : metrics) {
            if (m.status == Status.RUNNING) {
                m.stop();
            }
        }
        return finish(now, Verdicts.settled(metrics, judge));
    }

    private Verdict finish(Instant now, Verdict verdict) {
        this.verdict = verdict;
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

    /** One metric's counters and schedule. */
    static final class MetricState implements Serializable {
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
            Verdicts.Assessment a = Verdicts.assess(spec, query, now, r);
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
            Verdict v = Verdicts.byLimits(this);
            status = v.status();
            message = v.message();
        }

        /** The analysis ended while this count-0 metric was still measuring. */
        void stop() {
            Verdict v = Verdicts.stopped(this);
            status = v.status();
            message = v.message();
        }
    }

    /** The judge's samples, schedule and latest report. */
    static final class JudgeState implements Serializable {
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
                    String asked = Verdicts.asked(q, now);
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
                            + (r.values().isEmpty() ? " returned no series" : " returned " + Verdicts.show(r.values()))
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