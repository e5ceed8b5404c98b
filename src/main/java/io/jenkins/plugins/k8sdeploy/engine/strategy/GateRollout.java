package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An approval gate in front of another rollout: waits for a person's decision (or the policy's timeout), holding no
 * thread ({@link ApprovalGate}'s rules: timeout, polls, who answered), and only then starts what comes next.
 * Optionally something runs before the gate (a blue-green deploy to the preview, so the gate is asked before the
 * switch).
 *
 * <p>What comes next is a serializable {@link Next} (plain data: the resolved request), so a gate read back after a
 * restart can still start it; what cannot be serialized (where manifests are read from, analysis providers) is handed
 * in again by the front end with {@link #withFiles} and {@link #withAnalysis}.
 *
 * <p>Rejected, timed out (unless the policy proceeds) or stopped while waiting: nothing of {@link Next} is applied and
 * the record ends {@link DeployRecord.Outcome#ABORTED}, saying who or why. The record's events are the gate's
 * ({@code APPROVAL_WAIT}, {@code APPROVED} or {@code REJECTED}) between those of the rollouts before and after it
 * ({@link GateRecord}).
 */
public final class GateRollout implements Rollout {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * What runs once the gate is passed, as plain serializable data: {@link Deploy}, or a blue-green switch
     * ({@code bluegreen.GatedSwitch}, kept with blue-green so that this package does not depend on it).
     */
    public interface Next extends Serializable {
        /**
         * Starts it: one short unit, as the step's first unit would.
         *
         * @param files where manifests are read from; {@code null} when the front end gave none
         * @param analysis analyses for rollouts that run them; {@link AnalysisPort#NONE} when none were given
         */
        Rollout start(KubeCluster cluster, ManifestFiles files, AnalysisPort analysis, Clock clock,
                Consumer<String> log) throws Exception;

        /** What is gated, for the default question: "deploy to shop", "switch web to green". */
        String describe();

        /**
         * Gives the rollout this started (read back after a restart) the analyses it cannot keep; by default it runs
         * none. Called only with analyses ({@code analysis} is never null).
         */
        default void reattach(Rollout started, AnalysisPort analysis) {}
    }

    /**
     * A plain rolling deploy of the request ({@link DeployEngine#begin}, then {@link RollingRollout}). The request is
     * kept without its substitution variables (they come from the build's environment and may hold its secrets);
     * {@code substitutes} says it needs them, and the front end hands them to the gate again with
     * {@link GateRollout#withVariables}, after a restart too.
     */
    public record Deploy(DeployRequest request, boolean substitutes) implements Next {
        /** {@code request}'s deploy, its variables left out: give them to the gate with {@code withVariables}. */
        public static Deploy of(DeployRequest request) {
            return new Deploy(request.withVariables(null), request.variables() != null);
        }

        /** The deploy to start, with the variables handed in; refused when it needs them and has none. */
        Deploy with(Map<String, String> variables) throws DeployException {
            if (!substitutes) {
                return this;
            }
            if (variables == null) {
                throw new DeployException("The variables to substitute into the manifests could not be read again"
                        + " (after a restart, the build's environment is read anew); nothing was applied.");
            }
            return new Deploy(request.withVariables(variables), true);
        }

        @Override
        public Rollout start(KubeCluster cluster, ManifestFiles files, AnalysisPort analysis, Clock clock,
                Consumer<String> log) throws Exception {
            if (files == null) {
                throw new DeployException("The manifests cannot be read (no workspace); nothing was applied.");
            }
            DeployProgress progress = new DeployEngine(clock).begin(request, files, cluster.connection(), log);
            return new RollingRollout(progress, DeployRecord.Strategy.ROLLING, null,
                    new StrategyEvent(clock.instant(), StrategyEvent.Type.START, null, "approved: deploying"));
        }

        @Override
        public String describe() {
            return "Deploy " + String.join(", ", request.manifests())
                    + (request.inlineYaml() == null ? "" : (request.manifests().isEmpty() ? "" : " and ")
                            + "inline YAML")
                    + (request.namespace() == null ? "" : " to namespace " + request.namespace()) + "?";
        }
    }

    enum Phase { BEFORE, WAITING, STARTING, INNER, DONE }

    private final Rollout before;
    private final Next next;
    private final Approval.Policy policy;
    private final DeployRecord.Strategy strategy;
    private final String app;
    private final List<StrategyEvent> events = new ArrayList<>();
    private Phase phase;
    private String server;
    private Instant started;
    private Instant since;
    private String message;
    private Approval.Decision decision;
    private Rollout inner;
    private DeployRecord finished;

    private transient ManifestFiles files;
    private transient AnalysisPort analysis;
    /** For a {@link Deploy} that substitutes: never kept, given again after a restart. */
    private transient Map<String, String> variables;

    private GateRollout(Rollout before, Next next, Approval.Policy policy, DeployRecord.Strategy strategy, String app) {
        this.before = before;
        this.next = next;
        this.policy = policy == null ? Approval.Policy.DEFAULT : policy;
        this.strategy = strategy;
        this.app = app;
        this.phase = before == null ? Phase.WAITING : Phase.BEFORE;
    }

    /** A gate that waits from its first tick, then starts {@code next}. */
    public static GateRollout before(Next next, Approval.Policy policy, DeployRecord.Strategy strategy, String app) {
        return new GateRollout(null, next, policy, strategy, app);
    }

    /**
     * Runs {@code first} to its end; when it succeeded, waits at the gate, then starts {@code next}. When {@code
     * first} already did what {@code next} would (a first blue-green deploy switches at once: it has nothing to keep
     * serving), the gate is not asked.
     */
    public static GateRollout between(Rollout first, Next next, Approval.Policy policy, DeployRecord.Strategy strategy,
            String app) {
        return new GateRollout(first, next, policy, strategy, app);
    }

    /** Where manifests are read from; given again after a restart. */
    public GateRollout withFiles(ManifestFiles files) {
        this.files = files;
        return this;
    }

    /** The substitution variables of a {@link Deploy} that needs them; given again after a restart. */
    public GateRollout withVariables(Map<String, String> variables) {
        this.variables = variables;
        return this;
    }

    /** Analyses for what comes next; given again after a restart (then also to the rollout already started). */
    public GateRollout withAnalysis(AnalysisPort analysis) {
        this.analysis = analysis;
        if (inner != null && analysis != null) {
            next.reattach(inner, analysis);
        }
        return this;
    }

    /** The rollout running now (the one before the gate, or the one after it); {@code null} while waiting. */
    public Rollout current() {
        return phase == Phase.BEFORE ? before : inner;
    }

    @Override
    public Tick tick(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        if (server == null) {
            server = cluster.connection().serverUrl();
            started = clock.instant();
        }
        switch (phase) {
            case BEFORE -> {
                Tick t = before.tick(cluster, clock, log);
                if (!t.finished()) {
                    return t;
                }
                DeployRecord r = before.record(clock);
                if (!DeployRecord.Outcome.SUCCEEDED.equals(r.outcome())) {
                    phase = Phase.DONE;
                    finished = r;
                    return Tick.FINISHED;
                }
                if (r.events().stream().anyMatch(e -> StrategyEvent.Type.SWITCH.equals(e.type()))) {
                    log.accept("Nothing served before this deploy, so it went live at once; the approval gate was"
                            + " not asked.");
                    phase = Phase.DONE;
                    finished = r;
                    return Tick.FINISHED;
                }
                phase = Phase.WAITING;
                return Tick.again(Duration.ZERO);
            }
            case WAITING -> {
                return await(clock, log);
            }
            case STARTING -> {
                try {
                    Next starting = next instanceof Deploy d ? d.with(variables) : next;
                    inner = starting.start(cluster, files, analysis == null ? AnalysisPort.NONE : analysis, clock,
                            log);
                } catch (DeployException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeployException("Interrupted while starting after the approval.");
                } catch (Exception e) {
                    throw new DeployException(e.getMessage() == null ? e.toString() : e.getMessage());
                }
                phase = Phase.INNER;
                return Tick.again(Duration.ZERO);
            }
            case INNER -> {
                Tick t = inner.tick(cluster, clock, log);
                if (t.finished()) {
                    phase = Phase.DONE;
                    finished = combine(inner.record(clock), clock);
                }
                return t;
            }
            default -> {
                return Tick.FINISHED;
            }
        }
    }

    private Tick await(Clock clock, Consumer<String> log) {
        Instant now = clock.instant();
        if (since == null) {
            since = now;
            message = policy.message() != null ? policy.message() : next.describe();
            event(now, log, StrategyEvent.Type.APPROVAL_WAIT, message + (policy.timeout() == null ? ""
                    : " Without a decision within " + format(policy.timeout()) + " it "
                            + (policy.proceedOnTimeout() ? "proceeds." : "is aborted.")));
        }
        if (decision != null) {
            String by = ApprovalGate.by(decision);
            if (decision.proceed()) {
                event(now, log, StrategyEvent.Type.APPROVED, "Approved" + by + ".");
                phase = Phase.STARTING;
                return Tick.again(Duration.ZERO);
            }
            event(now, log, StrategyEvent.Type.REJECTED, "Rejected" + by + ".");
            return abort(clock, "Rejected" + by + ". Nothing of what the gate held back was applied.");
        }
        if (ApprovalGate.check(policy, since, now) instanceof ApprovalGate.Waiting w) {
            return Tick.again(w.next());
        }
        String what = "No decision within " + format(policy.timeout());
        if (policy.proceedOnTimeout()) {
            event(now, log, StrategyEvent.Type.APPROVED, what + "; proceeding as configured.");
            phase = Phase.STARTING;
            return Tick.again(Duration.ZERO);
        }
        event(now, log, StrategyEvent.Type.REJECTED, what + "; aborted.");
        return abort(clock, what + " on '" + message + "': aborted. Nothing of what the gate held back was"
                + " applied.");
    }

    private Tick abort(Clock clock, String failure) {
        phase = Phase.DONE;
        Instant now = clock.instant();
        DeployRecord base = before == null ? null : before.record(clock);
        finished = combine(GateRecord.aborted(server, since, now, failure, strategy, app), base, clock);
        return Tick.FINISHED;
    }

    static String format(Duration d) {
        return d.toSeconds() % 60 == 0 && d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private Instant deadline() {
        return ApprovalGate.deadline(policy, since);
    }

    private void event(Instant at, Consumer<String> log, StrategyEvent.Type type, String detail) {
        events.add(new StrategyEvent(at, type, null, detail));
        log.accept(detail);
    }

    @Override
    public void stop(String reason, boolean rollBack, KubeCluster cluster, Clock clock, Consumer<String> log)
            throws DeployException {
        switch (phase) {
            case BEFORE -> before.stop(reason, rollBack, cluster, clock, log);
            case INNER -> inner.stop(reason, rollBack, cluster, clock, log);
            case WAITING, STARTING -> {
                Instant now = clock.instant();
                if (server == null) {
                    server = cluster.connection().serverUrl();
                    started = now;
                }
                if (since == null) {
                    since = now;
                }
                event(now, log, StrategyEvent.Type.ABORT, "Stopped while waiting for approval (" + reason
                        + "); nothing of what the gate held back was applied.");
                abort(clock, "Stopped while waiting for approval: " + reason + ".");
            }
            default -> { }
        }
    }

    @Override
    public Duration outageTolerance() {
        Rollout now = phase == Phase.BEFORE ? before : inner;
        return now == null ? Rollout.super.outageTolerance() : now.outageTolerance();
    }

    @Override
    public String afterOutage() {
        Rollout now = phase == Phase.BEFORE ? before : inner;
        return now == null ? null : now.afterOutage();
    }

    @Override
    public String status() {
        return switch (phase) {
            case BEFORE -> before.status();
            case WAITING -> decision != null ? "approval decided" : "waiting for approval: " + (message == null
                    ? next.describe() : message);
            case STARTING -> "approved: starting";
            case INNER -> inner.status();
            case DONE -> finished == null ? "finished" : finished.outcome().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    @Override
    public DeployRecord record(Clock clock) {
        if (finished != null) {
            return finished;
        }
        if (inner != null) {
            return combine(inner.record(clock), clock);
        }
        Instant now = clock.instant();
        DeployRecord waiting = GateRecord.waiting(server, since == null ? now : since, now, strategy, app);
        return combine(waiting, before == null ? null : before.record(clock), clock);
    }

    private DeployRecord combine(DeployRecord after, Clock clock) {
        return combine(after, before == null ? null : before.record(clock), clock);
    }

    private DeployRecord combine(DeployRecord after, DeployRecord first, Clock clock) {
        return GateRecord.combine(first, events, after, server, started, strategy, app, clock);
    }

    @Override
    public Optional<Approval> pendingApproval() {
        return switch (phase) {
            case BEFORE -> before.pendingApproval();
            case INNER -> inner.pendingApproval();
            case WAITING -> since == null || decision != null ? Optional.empty()
                    : Optional.of(new Approval(approvalId(), message, since, deadline()));
            default -> Optional.empty();
        };
    }

    private String approvalId() {
        return "gate-" + since.toEpochMilli();
    }

    @Override
    public void decide(Approval.Decision d, Clock clock, Consumer<String> log) {
        switch (phase) {
            case BEFORE -> before.decide(d, clock, log);
            case INNER -> inner.decide(d, clock, log);
            case WAITING -> {
                if (since == null || decision != null || !approvalId().equals(d.approvalId())) {
                    log.accept(ApprovalGate.notWaiting(d));
                    return;
                }
                decision = d;
            }
            default -> log.accept(ApprovalGate.notWaiting(d));
        }
    }
}
