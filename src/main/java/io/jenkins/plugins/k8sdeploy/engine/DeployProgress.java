package io.jenkins.plugins.k8sdeploy.engine;

import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Workload;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Where a deploy stands between its short units of work, as plain serializable data: what was applied, which
 * workloads are being waited for and what they were before, the deadline, the timeline so far. A Jenkins step keeps it
 * in its execution and survives a restart with it; nothing in it is a client or a secret.
 *
 * <p>{@link #observe} is the decision: given what the workloads look like now, keep waiting, roll back, or finish.
 * Acting on the decision (rolling back, reporting) is the caller's.
 */
public final class DeployProgress implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Where the deploy is. */
    public enum Phase {
        ROLLING_OUT,
        ROLLING_BACK,
        SUCCEEDED,
        FAILED,
        DRY_RUN
    }

    /** What the caller should do after {@link #observe}. */
    public enum Decision {
        KEEP_WAITING,
        ROLL_BACK,
        FINISHED
    }

    /** One workload being waited for. */
    public record Watched(Workload workload, ResourceKind kind, WorkloadState before, RolloutStatus last)
            implements Serializable {}

    final String server;
    final Instant started;
    final Duration timeout;
    final boolean rollbackOnFailure;
    final boolean onDemandRollback;
    Phase phase;
    Instant deadline;
    List<Watched> watched = new ArrayList<>();
    final List<Watched> applied = new ArrayList<>();
    final List<ObjectChange> changes = new ArrayList<>();
    final List<String> rollbacks = new ArrayList<>();
    final List<TimelineEntry> timeline = new ArrayList<>();
    String failure;
    long apiRequests;
    /** The last status of each workload while rolling out, kept when a rollback replaces the wait set. */
    final Map<Workload, RolloutStatus> rolloutStatuses = new LinkedHashMap<>();

    DeployProgress(String server, Instant started, Duration timeout, boolean rollbackOnFailure) {
        this(server, started, timeout, rollbackOnFailure, false);
    }

    private DeployProgress(String server, Instant started, Duration timeout, boolean rollbackOnFailure,
            boolean onDemandRollback) {
        this.server = server;
        this.started = started;
        this.timeout = timeout;
        this.rollbackOnFailure = rollbackOnFailure;
        this.onDemandRollback = onDemandRollback;
        this.phase = Phase.ROLLING_OUT;
    }

    /** A rollback asked for on its own (k8sRollback): it succeeds when the restored revision rolls out. */
    static DeployProgress onDemandRollback(String server, Instant started, Duration timeout) {
        return new DeployProgress(server, started, timeout, false, true);
    }

    public Phase phase() {
        return phase;
    }

    /** True while a rollout or a rollback is being waited for. */
    public boolean waiting() {
        return phase == Phase.ROLLING_OUT || phase == Phase.ROLLING_BACK;
    }

    public Instant deadline() {
        return deadline;
    }

    /** The workloads to watch now, with their kinds. */
    public Map<Workload, ResourceKind> toWatch() {
        Map<Workload, ResourceKind> m = new LinkedHashMap<>();
        watched.forEach(w -> m.put(w.workload(), w.kind()));
        return m;
    }

    /** What is being waited for, for a status line: "Deployment/web: 2 of 3 updated replicas are available". */
    public String waitingFor() {
        return watched.stream()
                .filter(w -> w.last() == null || !w.last().isDone())
                .map(w -> w.workload().kind() + "/" + w.workload().name()
                        + (w.last() == null ? "" : ": " + w.last().message()))
                .collect(Collectors.joining("; "));
    }

    /** Adds to the API request count the requests of one session (one client, one unit of work). */
    public void countRequests(long requests) {
        apiRequests += requests;
    }

    /** Records a line in the timeline and sends it to the log. */
    public void log(Clock clock, Consumer<String> log, String line) {
        timeline.add(new TimelineEntry(clock.instant(), line));
        log.accept(line);
    }

    /**
     * Takes in what the workloads look like now and decides. Logs a line for every status that changed.
     *
     * @param statuses as {@link io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWatch#evaluate} judged them
     */
    public Decision observe(Map<Workload, RolloutStatus> statuses, Clock clock, Consumer<String> log) {
        if (!waiting()) {
            return Decision.FINISHED;
        }
        boolean late = !clock.instant().isBefore(deadline);
        List<Watched> updated = new ArrayList<>();
        for (Watched w : watched) {
            RolloutStatus now = statuses.getOrDefault(w.workload(), w.last());
            if (now != null && late && !now.isDone() && !now.isFailed()) {
                now = RolloutStatus.failed("did not finish within " + format(timeout) + "; still " + now.message());
            }
            if (now != null && !now.equals(w.last())) {
                log(clock, log, line(w.workload(), now));
            }
            updated.add(new Watched(w.workload(), w.kind(), w.before(), now));
        }
        watched = updated;
        if (phase == Phase.ROLLING_OUT) {
            watched.forEach(w -> rolloutStatuses.put(w.workload(), w.last()));
        }
        List<Watched> failed = watched.stream().filter(w -> w.last() != null && w.last().isFailed()).toList();
        boolean allDone = watched.stream().allMatch(w -> w.last() != null && w.last().isDone());
        if (phase == Phase.ROLLING_BACK) {
            if (!failed.isEmpty() || allDone) {
                for (Watched w : watched) {
                    String line = w.last() != null && w.last().isDone()
                            ? "Rollback of " + w.workload().describe() + " finished: the previous revision serves again."
                            : "Rollback of " + w.workload().describe() + " did not finish: "
                                    + (w.last() == null ? "no status yet" : w.last().message());
                    log(clock, log, line);
                    rollbacks.add(line);
                }
                if (onDemandRollback && allDone) {
                    phase = Phase.SUCCEEDED;
                } else {
                    phase = Phase.FAILED;
                    if (onDemandRollback) {
                        failure = failed.stream().map(w -> "The rollback of " + w.workload().describe()
                                + " did not finish: " + w.last().message()).collect(Collectors.joining("; ")) + ".";
                    }
                }
                return Decision.FINISHED;
            }
            return Decision.KEEP_WAITING;
        }
        if (failed.isEmpty()) {
            if (allDone) {
                log(clock, log, "Deployed: every workload rolled out.");
                phase = Phase.SUCCEEDED;
                return Decision.FINISHED;
            }
            return Decision.KEEP_WAITING;
        }
        failure = failed.stream().map(w -> w.workload().describe() + " failed: " + w.last().message())
                .collect(Collectors.joining("; ")) + ".";
        phase = Phase.FAILED;
        if (!rollbackOnFailure) {
            log(clock, log, "Not rolling back: rollbackOnFailure is off.");
            return Decision.FINISHED;
        }
        noteNothingToRollBack(clock, log);
        return toRollBack().isEmpty() ? Decision.FINISHED : Decision.ROLL_BACK;
    }

    /**
     * Ends a rollout from outside (the build was stopped): every workload not yet done counts as failed for
     * {@code reason}, so {@link #toRollBack()} names the ones to restore.
     */
    public void abort(String reason, Clock clock, Consumer<String> log) {
        if (phase != Phase.ROLLING_OUT) {
            return;
        }
        watched = watched.stream()
                .map(w -> w.last() != null && w.last().isDone()
                        ? w : new Watched(w.workload(), w.kind(), w.before(), RolloutStatus.failed(reason)))
                .toList();
        watched.forEach(w -> rolloutStatuses.put(w.workload(), w.last()));
        failure = "The rollout was stopped: " + reason + ".";
        phase = Phase.FAILED;
        noteNothingToRollBack(clock, log);
    }

    /**
     * Stops waiting (the command was stopped): the deploy ends FAILED, saying it was stopped for {@code reason},
     * with {@code line} logged (when not null). Workloads still rolling out count as failed for {@code reason}.
     */
    public void stopWaiting(String reason, Clock clock, Consumer<String> log, String line) {
        if (phase == Phase.ROLLING_OUT) {
            watched = watched.stream()
                    .map(w -> w.last() != null && w.last().isDone()
                            ? w : new Watched(w.workload(), w.kind(), w.before(), RolloutStatus.failed(reason)))
                    .toList();
            watched.forEach(w -> rolloutStatuses.put(w.workload(), w.last()));
        }
        if (failure == null) {
            failure = "The rollout was stopped: " + reason + ".";
        }
        if (line != null) {
            log(clock, log, line);
        }
        phase = Phase.FAILED;
    }

    /** The failed workloads that have an earlier revision to go back to. */
    public List<Watched> toRollBack() {
        return watched.stream()
                .filter(w -> w.last() != null && w.last().isFailed())
                .filter(w -> w.before() != null && w.before().revision() > 0)
                .filter(w -> Workload.ROLLBACK_KINDS.contains(w.workload().kind()))
                .toList();
    }

    /** Logs, for each failed workload that cannot be rolled back, why not. */
    private void noteNothingToRollBack(Clock clock, Consumer<String> log) {
        for (Watched w : watched) {
            if (w.last() == null || !w.last().isFailed() || toRollBack().contains(w)) {
                continue;
            }
            String line = !Workload.ROLLBACK_KINDS.contains(w.workload().kind())
                    ? w.workload().describe() + " cannot be rolled back: only Deployments, StatefulSets and"
                            + " DaemonSets keep earlier revisions."
                    : w.workload().describe() + " has nothing to roll back to: this was its first deploy.";
            log(clock, log, line);
            rollbacks.add(line);
        }
    }

    /** After rollbacks were issued: wait for {@code rolledBack} until a fresh deadline. */
    void startRollbackWait(List<Watched> rolledBack, Clock clock) {
        if (onDemandRollback) {
            applied.addAll(rolledBack);
        }
        phase = Phase.ROLLING_BACK;
        deadline = clock.instant().plus(timeout);
        watched = rolledBack.stream().map(w -> new Watched(w.workload(), w.kind(), w.before(), null)).toList();
    }

    /** The record, with each workload's state after as the caller read it from the cluster. */
    public DeployRecord toRecord(Instant finished, Map<Workload, WorkloadState> after) {
        DeployRecord.Outcome outcome = switch (phase) {
            case SUCCEEDED -> DeployRecord.Outcome.SUCCEEDED;
            case DRY_RUN -> DeployRecord.Outcome.DRY_RUN;
            default -> DeployRecord.Outcome.FAILED;
        };
        List<DeployRecord.WorkloadResult> results = new ArrayList<>();
        for (Watched w : applied) {
            WorkloadState a = after.getOrDefault(w.workload(), WorkloadState.NONE);
            WorkloadState b = w.before() == null ? WorkloadState.NONE : w.before();
            RolloutStatus s = finalStatus(w.workload());
            results.add(new DeployRecord.WorkloadResult(w.workload().kind(), w.workload().name(),
                    w.workload().namespace(), b.revision(), a.revision(), b.images(), a.images(),
                    s == null ? "UNKNOWN" : s.phase().name(), s == null ? "" : s.message()));
        }
        return new DeployRecord(server, outcome, started, finished, Duration.between(started, finished).toMillis(),
                apiRequests, List.copyOf(changes), results, List.copyOf(rollbacks), List.copyOf(timeline), failure);
    }

    /** The rollout's own final status (not the rollback's) of one applied workload. */
    private RolloutStatus finalStatus(Workload w) {
        return rolloutStatuses.get(w);
    }

    static String line(Workload w, RolloutStatus s) {
        return switch (s.phase()) {
            case DONE -> w.kind() + "/" + w.name() + " rolled out: " + s.message() + ".";
            case FAILED -> w.kind() + "/" + w.name() + " failed: " + s.message() + ".";
            case PROGRESSING -> "Waiting for " + w.kind() + "/" + w.name() + ": " + s.message() + ".";
        };
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }
}
