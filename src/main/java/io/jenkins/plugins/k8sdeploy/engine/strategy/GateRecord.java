package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of a {@link GateRollout} as one deploy: the rollout before the gate (if any), the gate's own events, then
 * what came after it (the rollout it started, or the gate's wait or abort when nothing started).
 */
final class GateRecord {
    private GateRecord() {}

    /** While the gate waits: nothing applied yet, outcome {@code WAITING}. */
    static DeployRecord waiting(String server, Instant since, Instant now, DeployRecord.Strategy strategy, String app) {
        return new DeployRecord(server, DeployRecord.Outcome.WAITING, since, now, 0, 0, List.of(), List.of(),
                List.of(), List.of(), null, strategy, app, List.of());
    }

    /** Rejected, timed out or stopped at the gate: nothing of what it held back was applied. */
    static DeployRecord aborted(String server, Instant since, Instant now, String failure, DeployRecord.Strategy strategy,
            String app) {
        return new DeployRecord(server, DeployRecord.Outcome.ABORTED, since, now, 0, 0, List.of(), List.of(), List.of(),
                List.of(new DeployRecord.TimelineEntry(now, failure)), failure, strategy, app, List.of());
    }

    /**
     * {@code first}'s record (if any), the gate's {@code events}, then {@code after}'s: one record of the whole.
     * {@code server} and {@code started} are the gate's own, for what the records leave open; {@code strategy} and
     * {@code app}, when set, name the whole.
     */
    static DeployRecord combine(DeployRecord first, List<StrategyEvent> events, DeployRecord after, String server,
            Instant started, DeployRecord.Strategy strategy, String app, Clock clock) {
        List<StrategyEvent> all = new ArrayList<>();
        Instant start = after.started();
        String srv = after.server() != null ? after.server() : server;
        long requests = after.apiRequests();
        List<DeployRecord.ObjectChange> objects = new ArrayList<>();
        List<DeployRecord.WorkloadResult> workloads = new ArrayList<>();
        List<String> rollbacks = new ArrayList<>();
        List<DeployRecord.TimelineEntry> timeline = new ArrayList<>();
        List<AnalysisRecord> analyses = new ArrayList<>();
        if (first != null) {
            all.addAll(first.events());
            start = first.started();
            srv = first.server() != null ? first.server() : srv;
            requests += first.apiRequests();
            objects.addAll(first.objects());
            workloads.addAll(first.workloads());
            rollbacks.addAll(first.rollbacks());
            timeline.addAll(first.timeline());
            analyses.addAll(first.analyses());
        } else if (started != null && (start == null || started.isBefore(start))) {
            start = started;
        }
        all.addAll(events);
        all.addAll(after.events());
        objects.addAll(after.objects());
        workloads.addAll(after.workloads());
        rollbacks.addAll(after.rollbacks());
        timeline.addAll(after.timeline());
        analyses.addAll(after.analyses());
        Instant end = after.finished() == null ? clock.instant() : after.finished();
        long millis = start == null ? after.durationMillis() : Math.max(0, Duration.between(start, end).toMillis());
        return new DeployRecord(srv, after.outcome(), start, end, millis, requests, objects, workloads, rollbacks,
                timeline, after.failure(), strategy != null ? strategy : after.strategy(),
                app != null ? app : after.app(), all, analyses);
    }
}
