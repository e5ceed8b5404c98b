package io.jenkins.plugins.k8sdeploy.engine.canary;

import static io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRollout.format;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRollout.Phase;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.strategy.AnalysisStep;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout.Tick;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.engine.traffic.TrafficRouter;
import io.jenkins.plugins.k8sdeploy.engine.traffic.TrafficRouters;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries out a {@link CanaryDecision}: the only code that writes to the cluster (annotations on the stable
 * Deployment, replicas, the router, promotion, removal) or to the rollout's state and record. One instance per tick.
 */
final class CanaryActions {

    /**
     * What the tick does after an action: return {@code tick}, or decide again; {@code observe}: on what was read
     * without the command just taken, and read again what a new phase needs.
     */
    record After(Tick tick, boolean observe) {
        static final After CONTINUE = new After(null, false);
        static final After OBSERVE = new After(null, true);

        static After end(Tick tick) {
            return new After(tick, false);
        }
    }

    private final CanaryRollout r;
    private final KubeCluster cluster;
    private final Clock clock;
    private final Consumer<String> log;

    /** {@code cluster} null: only decisions that change the state alone ({@link #decided}) are carried out. */
    CanaryActions(CanaryRollout r, KubeCluster cluster, Clock clock, Consumer<String> log) {
        this.r = r;
        this.cluster = cluster;
        this.clock = clock;
        this.log = log;
    }

    After apply(CanaryDecision d, CanaryObservation seen) throws DeployException {
        return switch (d) {
            case CanaryDecision.Finish f -> {
                note(f.note());
                yield After.end(finish(f.outcome(), f.failure()));
            }
            case CanaryDecision.TakeCommand t -> take(t, seen);
            case CanaryDecision.Heartbeat h -> {
                annotate(Map.of(CanaryState.HEARTBEAT, h.at().toString()));
                r.lastHeartbeat = h.at();
                yield After.CONTINUE;
            }
            case CanaryDecision.Wait w -> After.end(Tick.again(w.next()));
            case CanaryDecision.Fail f -> {
                note(f.note());
                yield fail(f.reason());
            }
            case CanaryDecision.Nothing n -> decided(n);
            case CanaryDecision.Abort a -> decided(a);
            case CanaryDecision.NextStep n -> decided(n);
            case CanaryDecision.PlanEnded p -> {
                annotate(Map.of(CanaryState.PHASE, CanaryState.PAUSED, CanaryState.MESSAGE, "plan finished at "
                        + r.weight + "%; promote or abort from Jenkins (canaryPromote) or k8spd canary"));
                r.event(clock, log, StrategyEvent.Type.PAUSE, r.weight, "The plan ends here: the canary stays at "
                        + r.weight + "% until canaryPromote (or k8spd canary promote/abort) moves it on.");
                yield After.end(finish(DeployRecord.Outcome.SUCCEEDED, null));
            }
            case CanaryDecision.StartStep s -> {
                r.stepDeadline = s.deadline();
                annotate(Map.of(CanaryState.PHASE, CanaryState.PROGRESSING, CanaryState.MESSAGE,
                        "moving to " + s.target() + "%"));
                log.accept("Moving the canary of " + r.app + " to " + s.target() + "%.");
                yield After.CONTINUE;
            }
            case CanaryDecision.Scale s -> {
                for (CanaryDecision.Replicas m : s.moves()) {
                    scale(m.deployment(), m.replicas());
                }
                yield After.end(Tick.again(Rollouts.POLL));
            }
            case CanaryDecision.RouteWeight w -> {
                moveRouter(w.target());
                yield After.CONTINUE;
            }
            case CanaryDecision.Reached x -> {
                if (x.note() != null) {
                    log.accept(x.note());
                }
                r.weight = x.target();
                annotate(Map.of(CanaryState.WEIGHT, String.valueOf(x.target())));
                r.event(clock, log, StrategyEvent.Type.WEIGHT, x.target(), x.detail());
                yield decided(new CanaryDecision.NextStep(null));
            }
            case CanaryDecision.StartPause p -> {
                r.pauseUntil = p.until();
                annotate(Map.of(CanaryState.PHASE, CanaryState.PROGRESSING, CanaryState.MESSAGE,
                        "paused until " + p.until()));
                r.event(clock, log, StrategyEvent.Type.PAUSE, r.weight, "Pausing " + format(p.duration()) + " at "
                        + r.weight + "%.");
                yield After.CONTINUE;
            }
            case CanaryDecision.AwaitApproval a -> awaitApproval(a);
            case CanaryDecision.StartAnalysis s -> {
                r.analysisRun = AnalysisStep.start(r.analysis, s.name(), r.services, clock.instant());
                r.event(clock, log, StrategyEvent.Type.ANALYSIS, r.weight, "Analysis '" + s.name() + "' started.");
                yield After.CONTINUE;
            }
            case CanaryDecision.PollAnalysis p -> {
                var now = clock.instant();
                AnalysisStep.Polled v = AnalysisStep.poll(r.analysisRun, now);
                yield apply(CanaryDecider.verdict(r, p.name(), v.verdict(), v.next(), now), seen);
            }
            case CanaryDecision.BeginPromotion b -> {
                note(b.note());
                r.phase = Phase.PROMOTING;
                yield After.end(Tick.again(Duration.ZERO));
            }
            case CanaryDecision.ApplyPromotion a -> applyPromotion(a.manifest());
            case CanaryDecision.ResetRouter x -> {
                TrafficRouters.of(r.router, r.namespace).reset(cluster, r.services.unpinned());
                r.weight = 0;
                yield After.CONTINUE;
            }
            case CanaryDecision.Drained x -> {
                r.canaryDrained = true;
                yield After.CONTINUE;
            }
            case CanaryDecision.CompletePromotion x -> {
                removeCanary();
                cluster.mergePatch(ResourceKind.DEPLOYMENT, r.namespace, r.app, CanaryState.clearAll());
                r.weight = 100;
                r.event(clock, log, StrategyEvent.Type.PROMOTED, 100, "Promoted: Deployment/" + r.app + " runs "
                        + String.join(", ", r.toImages) + " on all pods; the canary was removed"
                        + (r.router == null ? "." : " and " + TrafficRouters.of(r.router, r.namespace).describe()
                                + " reset."));
                yield After.end(finish(DeployRecord.Outcome.SUCCEEDED, null));
            }
            case CanaryDecision.IssueAbort x -> {
                issueAbort(x);
                yield After.end(Tick.again(Rollouts.POLL));
            }
            case CanaryDecision.CompleteAbort x -> {
                removeCanary();
                cluster.mergePatch(ResourceKind.DEPLOYMENT, r.namespace, r.app, CanaryState.clearAll());
                if (x.late() != null) {
                    log.accept(x.late());
                }
                yield After.end(finish(DeployRecord.Outcome.ABORTED, r.failure));
            }
        };
    }

    /** The decisions that change the state and the record only: a person's answer, or a command's effect. */
    After decided(CanaryDecision d) {
        switch (d) {
            case CanaryDecision.Nothing n -> {
                if (n.line() != null) {
                    log.accept(n.line());
                }
                return After.CONTINUE;
            }
            case CanaryDecision.NextStep n -> {
                note(n.note());
                r.nextStep();
                return After.end(Tick.again(Duration.ZERO));
            }
            case CanaryDecision.Abort a -> {
                if (a.requested()) {
                    r.requestedAbort = true;
                }
                note(a.note());
                startAbort(a.reason());
                return After.OBSERVE;
            }
            default -> throw new IllegalArgumentException("Not a decision on the state alone: " + d);
        }
    }

    /** Removes the command just read, only if the Deployment has not changed since: never lost, never taken twice. */
    private After take(CanaryDecision.TakeCommand t, CanaryObservation seen) throws DeployException {
        Map<String, String> clear = new HashMap<>();
        clear.put(CanaryState.COMMAND, null);
        if (t.refused() != null) {
            clear.put(CanaryState.REFUSED, t.refused());
        }
        if (!cluster.annotateIfUnchanged(ResourceKind.DEPLOYMENT, r.namespace, r.app, seen.stableVersion(), clear)) {
            return After.end(Tick.again(Duration.ZERO)); // changed since it was read: read it again
        }
        if (t.ignored() != null) {
            log.accept(t.ignored());
        } else {
            apply(t.then(), seen);
        }
        return After.OBSERVE;
    }

    private After awaitApproval(CanaryDecision.AwaitApproval a) throws DeployException {
        note(a.note());
        r.awaiting = true;
        r.approvalSince = a.since();
        r.approvalMessage = a.message();
        annotate(Map.of(CanaryState.PHASE, CanaryState.AWAITING_APPROVAL, CanaryState.MESSAGE, a.message()));
        var policy = r.approvalPolicy;
        r.event(clock, log, StrategyEvent.Type.APPROVAL_WAIT, r.weight, a.message() + " Promote: k8spd canary promote "
                + r.app + " -n " + r.namespace + " (or canaryPromote); abort: k8spd canary abort " + r.app + " -n "
                + r.namespace + "." + (policy.timeout() == null ? "" : " Without a decision within "
                        + format(policy.timeout()) + " it "
                        + (policy.proceedOnTimeout() ? "proceeds." : "is aborted.")));
        return After.CONTINUE;
    }

    private After fail(String reason) {
        r.failure = reason;
        if (!r.abortOnFailure) {
            log.accept(reason + " Not aborting: rollback on failure is off; the canary stays at " + r.weight + "%.");
            return After.end(finish(DeployRecord.Outcome.FAILED, reason));
        }
        startAbort(reason);
        return After.OBSERVE;
    }

    private void startAbort(String reason) {
        r.keepAnalysis();
        if (r.failure == null) {
            r.failure = "The canary was aborted: " + reason + ".";
        }
        r.phase = Phase.ABORTING;
        r.stepDeadline = null;
        log.accept("Aborting the canary of " + r.app + ": " + reason);
    }

    /** Traffic back to stable: the router reset (and read back), the canary scaled to 0, the stable to full. */
    private void issueAbort(CanaryDecision.IssueAbort x) throws DeployException {
        if (r.router != null) {
            TrafficRouter router = TrafficRouters.of(r.router, r.namespace);
            router.reset(cluster, r.services);
            int read = router.weight(cluster, r.services);
            if (read != 0) {
                throw new DeployException(router.describe() + " still sends " + read + "% to the canary after the"
                        + " reset.");
            }
        }
        if (x.canary()) {
            scale(r.canaryName, 0);
        }
        if (x.stable()) {
            scale(r.app, r.total);
        }
        annotate(Map.of(CanaryState.PHASE, CanaryState.ABORTING, CanaryState.WEIGHT, "0"));
        r.weight = 0;
        r.abortIssued = true;
        r.stepDeadline = clock.instant().plus(r.timeout);
        r.event(log, StrategyEvent.abort(clock.instant(), 0, "Aborted: all traffic back to stable"
                + (r.router == null ? " (canary scaled to 0, stable back to " + r.total + " pods)"
                        : " (" + TrafficRouters.of(r.router, r.namespace).describe() + " reset)"),
                r.failure));
    }

    /**
     * The build or command stopped: without rolling back (or once the stable rolls out the new version) the canary is
     * left as it is, paused; else it is aborted at once.
     */
    void stop(String reason, boolean rollBack) throws DeployException {
        if (!rollBack || r.phase == Phase.PROMOTING && r.promoteApplied) {
            log.accept("Stopped (" + reason + "); the canary of " + r.app + " is left at " + r.weight + "%: promote or"
                    + " abort it with canaryPromote or k8spd canary.");
            annotate(Map.of(CanaryState.PHASE, CanaryState.PAUSED, CanaryState.MESSAGE, "stopped: " + reason));
            finish(DeployRecord.Outcome.FAILED, "Stopped: " + reason + ".");
            return;
        }
        if (r.phase != Phase.ABORTING) {
            startAbort(reason);
        }
        if (!r.abortIssued) {
            issueAbort(CanaryDecider.issueAbort(CanaryObservation.read(cluster, r), r));
        }
        removeCanary();
        cluster.mergePatch(ResourceKind.DEPLOYMENT, r.namespace, r.app, CanaryState.clearAll());
        finish(DeployRecord.Outcome.ABORTED, r.failure);
    }

    private After applyPromotion(String json) throws DeployException {
        if (r.router != null) {
            // The stable Service (and an Istio stable subset) stop pinning the old pods, so that the new stable
            // pods take traffic as they start.
            Services.unpin(cluster, r.namespace, r.services.stableService());
            TrafficRouters.of(r.router, r.namespace).setWeight(cluster, r.services.unpinned(), r.weight);
        }
        GenericKubernetesResource body = KubeCluster.serialization().unmarshal(json, GenericKubernetesResource.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) body.getAdditionalProperties().get("spec");
        if (r.hpa) {
            spec.remove("replicas");
        } else {
            spec.put("replicas", r.total);
        }
        cluster.apply(ResourceKind.DEPLOYMENT, r.namespace, body);
        annotate(Map.of(CanaryState.PHASE, CanaryState.PROMOTING, CanaryState.MESSAGE,
                "rolling the stable Deployment to the canary's version"));
        r.promoteApplied = true;
        r.stepDeadline = clock.instant().plus(r.timeout);
        log.accept("Promoting: Deployment/" + r.app + " now rolls out the canary's pod template.");
        return After.end(Tick.again(Rollouts.POLL));
    }

    /** Deletes the canary Deployment and, when we created it, the canary Service; the stable Service stops pinning. */
    private void removeCanary() throws DeployException {
        cluster.delete(ResourceKind.DEPLOYMENT, r.namespace, r.canaryName);
        if (r.router != null) {
            TrafficRouters.of(r.router, r.namespace).reset(cluster, r.services.unpinned());
            Services.unpin(cluster, r.namespace, r.services.stableService());
            if (r.canaryServiceOurs) {
                cluster.delete(ResourceKind.SERVICE, r.namespace, r.services.canaryService());
            }
        }
    }

    private void moveRouter(int target) throws DeployException {
        TrafficRouter router = TrafficRouters.of(r.router, r.namespace);
        router.setWeight(cluster, r.services, target);
        int read = router.weight(cluster, r.services);
        if (read != target) {
            throw new DeployException(router.describe() + " was set to send " + target + "% to the canary but reads"
                    + " back " + read + "%.");
        }
        r.weight = target;
        annotate(Map.of(CanaryState.WEIGHT, String.valueOf(target)));
        r.event(clock, log, StrategyEvent.Type.WEIGHT, target, router.describe() + " sends " + target + "% to the canary"
                + " (read back).");
    }

    private Tick finish(DeployRecord.Outcome outcome, String failure) {
        r.outcome = outcome.name();
        if (failure != null && r.failure == null) {
            r.failure = failure;
        }
        if (failure != null && !DeployRecord.Outcome.ABORTED.equals(outcome)) {
            r.log(clock, log, failure);
        }
        r.phase = Phase.DONE;
        r.finishedAt = clock.instant();
        return Tick.FINISHED;
    }

    private void note(CanaryDecision.Note note) {
        if (note != null) {
            r.event(clock, log, note.type(), note.weight(), note.detail());
        }
    }

    /** Writes the canary's state on the stable Deployment; the step goes with a step, weight or phase. */
    private void annotate(Map<String, String> values) throws DeployException {
        Map<String, String> v = new HashMap<>(values);
        if (values.containsKey(CanaryState.STEP) || values.containsKey(CanaryState.WEIGHT)
                || values.containsKey(CanaryState.PHASE)) {
            v.put(CanaryState.STEP, String.valueOf(r.step));
        }
        cluster.mergePatch(ResourceKind.DEPLOYMENT, r.namespace, r.app, CanaryState.set(v));
    }

    private void scale(String name, int replicas) throws DeployException {
        var stored = cluster.mergePatch(ResourceKind.DEPLOYMENT, r.namespace, name,
                Map.of("spec", Map.of("replicas", replicas)));
        if (stored != null && stored.getMetadata().getGeneration() != null) {
            if (r.scaledGeneration == null) {
                r.scaledGeneration = new HashMap<>();
            }
            r.scaledGeneration.put(name, stored.getMetadata().getGeneration());
        }
    }
}
