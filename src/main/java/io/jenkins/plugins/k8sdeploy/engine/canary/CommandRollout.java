package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import java.io.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A command handed to the pipeline that drives a canary: waits until the driver took it and, for an abort or a full
 * promotion, until the canary is gone, then reports what the Deployment says.
 */
final class CommandRollout implements Rollout {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String server;
    private final String namespace;
    private final String app;
    private final String command;
    /** The command as written, with its id; null for a decision taken without one. */
    private final CanaryState.Command sent;
    private final Instant started;
    private final Instant deadline;
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final List<StrategyEvent> events = new ArrayList<>();
    private DeployRecord.Outcome outcome;
    private String failure;
    private Instant finished;

    CommandRollout(String server, String namespace, String app, CanaryState.Command sent, Duration timeout,
            Instant started) {
        this.server = server;
        this.namespace = namespace;
        this.app = app;
        this.command = sent.word();
        this.sent = sent;
        this.started = started;
        this.deadline = started.plus(timeout);
    }

    /** A promotion past an approval that the driver's front end took directly (no command): already finished. */
    static CommandRollout decided(String server, String namespace, String app, String line, Instant at) {
        CommandRollout r = new CommandRollout(server, namespace, app, new CanaryState.Command(CanaryState.PROMOTE,
                null, at, at), Duration.ZERO, at);
        r.timeline.add(new TimelineEntry(at, line));
        r.events.add(new StrategyEvent(at, StrategyEvent.Type.APPROVED, null, line));
        r.outcome = DeployRecord.Outcome.SUCCEEDED;
        r.finished = at;
        return r;
    }

    @Override
    public Tick tick(KubeCluster cluster, Clock clock, Consumer<String> log) throws DeployException {
        if (outcome != null) {
            return Tick.FINISHED;
        }
        Deployment stable = cluster.client().apps().deployments().inNamespace(namespace).withName(app).get();
        Map<String, String> a = CanaryState.annotations(stable);
        boolean taken = !sent.is(a.get(CanaryState.COMMAND));
        String refused = a.get(CanaryState.REFUSED);
        if (taken && refused != null) {
            outcome = DeployRecord.Outcome.FAILED;
            failure = "The driver refused '" + command + "': " + refused;
            finished = clock.instant();
            timeline.add(new TimelineEntry(finished, failure));
            log.accept(failure);
            return Tick.FINISHED;
        }
        boolean gone = !a.containsKey(CanaryState.REVISION);
        boolean ends = command.equals(CanaryState.ABORT) || command.equals(CanaryState.PROMOTE_FULL);
        if (taken && (!ends || gone)) {
            String line = ends ? "The canary of " + app + " was " + (command.equals(CanaryState.ABORT) ? "aborted"
                    : "promoted") + " by its driver." : "The driver took the promotion; the canary is now: "
                    + a.getOrDefault(CanaryState.PHASE, "?") + " at " + a.getOrDefault(CanaryState.WEIGHT, "?") + "%.";
            Instant at = clock.instant(); // one time for the event and its timeline line
            timeline.add(new TimelineEntry(at, line));
            log.accept(line);
            events.add(new StrategyEvent(at, command.equals(CanaryState.ABORT) ? StrategyEvent.Type.ABORT
                    : StrategyEvent.Type.PROMOTE, null, line));
            outcome = DeployRecord.Outcome.SUCCEEDED;
            finished = at;
            return Tick.FINISHED;
        }
        Instant now = clock.instant();
        Instant heard = CanaryState.heartbeat(stable);
        boolean silent = !taken && heard != null && !now.isBefore(heard.plus(CanaryState.DRIVER_SILENCE));
        if (!now.isBefore(deadline) || silent) {
            outcome = DeployRecord.Outcome.FAILED;
            failure = taken ? "The driver took '" + command + "' but the canary of " + app + " had not ended by the"
                    + " deadline." : "Nobody took the '" + command + "' command on Deployment/" + app + ": its driver ("
                    + a.get(CanaryState.DRIVER) + ") was last heard from at " + heard + " and seems gone. The command"
                    + " was withdrawn; run it again to act on the canary directly.";
            if (!taken) {
                withdraw(cluster, stable);
            }
            finished = now;
            log.accept(failure);
            return Tick.FINISHED;
        }
        return Tick.again(Rollouts.POLL);
    }

    /**
     * Removes the command if it is still there: nobody obeys it later. The patch is conditional on the resourceVersion
     * read, and read again after a conflict (the Deployment's controller changes its status all the time).
     */
    private void withdraw(KubeCluster cluster, Deployment read) {
        Deployment current = read;
        for (int attempt = 0; attempt < 10 && current != null && sent.is(CanaryState.annotations(current)
                .get(CanaryState.COMMAND)); attempt++) {
            java.util.Map<String, String> annotations = new java.util.HashMap<>();
            annotations.put(CanaryState.COMMAND, null);
            try {
                if (cluster.annotateIfUnchanged(io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind.DEPLOYMENT,
                        namespace, app, current.getMetadata().getResourceVersion(), annotations)) {
                    return;
                }
            } catch (DeployException e) {
                return; // unreachable: its expiry keeps a driver from obeying it later
            }
            current = cluster.client().apps().deployments().inNamespace(namespace).withName(app).get();
        }
    }

    @Override
    public void stop(String reason, boolean rollBack, KubeCluster cluster, Clock clock, Consumer<String> log) {
        outcome = DeployRecord.Outcome.FAILED;
        failure = "Stopped: " + reason + ".";
        finished = clock.instant();
    }

    @Override
    public String status() {
        return "waiting for the driver of the canary of " + app + " to take '" + command + "'";
    }

    @Override
    public DeployRecord record(Clock clock) {
        Instant end = finished == null ? clock.instant() : finished;
        return new DeployRecord(server, outcome == null ? DeployRecord.Outcome.FAILED : outcome, started, end,
                Duration.between(started, end).toMillis(), 0, List.of(), List.of(), List.of(), List.copyOf(timeline),
                failure, DeployRecord.Strategy.CANARY, app, List.copyOf(events));
    }
}
