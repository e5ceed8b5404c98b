package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A running canary steered from outside the pipeline that started it ({@link CanaryEngine#control}): a command
 * written for the driver that still drives it, or, with nobody driving, the canary taken over and the command carried
 * out by the returned rollout.
 */
final class CanaryControl {
    private final Clock clock;

    CanaryControl(Clock clock) {
        this.clock = clock;
    }

    /** What {@link CanaryEngine#control} does; its javadoc says how. */
    Rollout control(ClusterConnection connection, String namespace, String app, CanaryEngine.Action action, int weight,
            String driver, AnalysisPort analysis, Duration timeout, Consumer<String> log) throws DeployException {
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            Deployment stable = cluster.client().apps().deployments().inNamespace(namespace).withName(app).get();
            if (stable == null) {
                throw new DeployException("Deployment/" + app + " does not exist in namespace " + namespace + ".");
            }
            Map<String, String> a = CanaryState.annotations(stable);
            if (!CanaryState.inProgress(stable)) {
                throw new DeployException("No canary of Deployment/" + app + " is in progress in namespace " + namespace
                        + ": there is nothing to " + action.name().toLowerCase(Locale.ROOT) + ".");
            }
            if (CanaryState.driven(stable, clock.instant()) && !driver.equals(a.get(CanaryState.DRIVER))) {
                if (action == CanaryEngine.Action.WEIGHT) {
                    throw new DeployException("The canary of " + app + " is driven by " + a.get(CanaryState.DRIVER)
                            + ", which runs its own plan: it can be promoted past a pause or approval, promoted fully"
                            + " or aborted, but not moved to a weight.");
                }
                String command = switch (action) {
                    case ABORT -> CanaryState.ABORT;
                    case FULL -> CanaryState.PROMOTE_FULL;
                    default -> CanaryState.PROMOTE;
                };
                CanaryState.Command sent = CanaryState.Command.of(command, clock.instant(), timeout);
                Map<String, String> write = new HashMap<>();
                write.put(CanaryState.COMMAND, sent.encode());
                write.put(CanaryState.REFUSED, null); // an earlier refusal is not this command's answer
                cluster.mergePatch(ResourceKind.DEPLOYMENT, namespace, app, CanaryState.set(write));
                log.accept("Asked " + a.get(CanaryState.DRIVER) + ", which drives the canary of " + app + ", to "
                        + command + ".");
                if (action != CanaryEngine.Action.ABORT || taken(cluster, namespace, app, sent)) {
                    return new CommandRollout(cluster.connection().serverUrl(), namespace, app, sent, timeout,
                            clock.instant());
                }
                // The driver is dead or too busy to take it: an abort does not wait for it.
                stable = cluster.client().apps().deployments().inNamespace(namespace).withName(app).get();
                a = CanaryState.annotations(stable);
                if (stable == null || !sent.is(a.get(CanaryState.COMMAND))) {
                    return new CommandRollout(cluster.connection().serverUrl(), namespace, app, sent, timeout,
                            clock.instant());
                }
                log.accept(a.get(CanaryState.DRIVER) + " did not take the abort within "
                        + Durations.format(CanaryState.ABORT_TAKEOVER)
                        + "; aborting the canary of " + app + " from here.");
            } else if (a.containsKey(CanaryState.COMMAND)) {
                log.accept("Dropped '" + CanaryState.Command.parse(a.get(CanaryState.COMMAND)).word() + "', left on"
                        + " Deployment/" + app + " for a driver that is gone: it is not carried out now.");
            }
            CanaryRouting routing = CanaryRouting.of(a, app);
            CanaryPlan plan = switch (action) {
                case WEIGHT -> new CanaryPlan(List.of(weight >= 100 ? new CanaryPlan.Promote()
                        : new CanaryPlan.SetWeight(weight)));
                case PROMOTE, FULL -> new CanaryPlan(List.of(new CanaryPlan.Promote()));
                case ABORT -> new CanaryPlan(List.of());
            };
            CanaryServices services = new CanaryServices(namespace, routing.stableService(), routing.canaryService(),
                    routing.stablePodLabels() == null ? Map.of() : routing.stablePodLabels(),
                    routing.canaryPodLabels() == null ? Map.of() : routing.canaryPodLabels());
            CanaryRollout r = new CanaryRollout(cluster.connection().serverUrl(), namespace, app, driver,
                    a.get(CanaryState.REVISION), plan, routing.router(), services, routing.canaryServiceOurs(),
                    timeout, true, CanaryState.intOf(a, CanaryState.TOTAL, 1), routing.hpa(), routing.maxSurge(),
                    routing.maxUnavailable(), nonNull(routing.fromImages()), nonNull(routing.toImages()),
                    clock.instant());
            r.weight = CanaryState.intOf(a, CanaryState.WEIGHT, 0);
            r.withAnalysis(analysis);
            Map<String, String> state = new LinkedHashMap<>();
            state.put(CanaryState.DRIVER, driver);
            state.put(CanaryState.HEARTBEAT, clock.instant().toString());
            state.put(CanaryState.PLAN, plan.toString());
            state.put(CanaryState.STEP, "0");
            state.put(CanaryState.PHASE, action == CanaryEngine.Action.ABORT ? CanaryState.ABORTING
                    : CanaryState.PROGRESSING);
            state.put(CanaryState.COMMAND, null); // a command left for an earlier driver is never carried out
            takeOver(cluster, namespace, app, stable, state);
            if (action == CanaryEngine.Action.ABORT) {
                r.requestedAbort = true;
                r.event(clock, log, StrategyEvent.Type.ABORT, r.weight, "Abort requested by " + driver + ".");
                r.failure = "The canary was aborted on request.";
                r.phase = CanaryRollout.Phase.ABORTING;
            } else {
                r.event(clock, log, action == CanaryEngine.Action.WEIGHT && weight < 100 ? StrategyEvent.Type.WEIGHT
                        : StrategyEvent.Type.PROMOTE, r.weight, (action == CanaryEngine.Action.WEIGHT && weight < 100
                                ? "Moving the canary of " + app + " from " + r.weight + "% to " + weight + "%"
                                : "Promoting the canary of " + app + " fully") + " (" + driver + ").");
            }
            return r;
        }
    }

    /**
     * Writes {@code state} (this driver, a fresh heartbeat, no command) only if nobody changed the canary since
     * {@code read}: a patch conditional on the resourceVersion. The Deployment's own controller changes its status all
     * the time, so a conflict is read again and, when the canary's driver, revision and command are still what they
     * were, tried again.
     */
    private static void takeOver(KubeCluster cluster, String namespace, String app, Deployment read,
            Map<String, String> state) throws DeployException {
        Deployment current = read;
        for (int attempt = 1; ; attempt++) {
            if (cluster.annotateIfUnchanged(ResourceKind.DEPLOYMENT, namespace, app,
                    current.getMetadata().getResourceVersion(), state)) {
                return;
            }
            if (attempt >= 10) {
                throw new DeployException("The canary of " + app + " kept changing while this command was taking it"
                        + " over; nothing was changed. Run the command again.");
            }
            Deployment again = cluster.client().apps().deployments().inNamespace(namespace).withName(app).get();
            Map<String, String> was = CanaryState.annotations(current);
            Map<String, String> now = CanaryState.annotations(again);
            for (String key : new String[] {CanaryState.REVISION, CanaryState.DRIVER, CanaryState.COMMAND}) {
                if (!Objects.equals(was.get(key), now.get(key))) {
                    throw new DeployException("The canary of " + app + " changed while this command was taking it"
                            + " over (its " + key.substring(key.indexOf('/') + 1) + " is now " + now.get(key)
                            + "); nothing was changed. Look with k8spd canary status and run the command again.");
                }
            }
            current = again;
        }
    }

    /** Waits up to {@link CanaryState#ABORT_TAKEOVER} for the driver to take {@code sent}. */
    private boolean taken(KubeCluster cluster, String namespace, String app, CanaryState.Command sent)
            throws DeployException {
        Instant end = clock.instant().plus(CanaryState.ABORT_TAKEOVER);
        do {
            Deployment d = cluster.client().apps().deployments().inNamespace(namespace).withName(app).get();
            if (d == null || !sent.is(CanaryState.annotations(d).get(CanaryState.COMMAND))) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("Interrupted while waiting for the canary's driver to take the abort.");
            }
        } while (clock.instant().isBefore(end));
        return false;
    }

    private static List<String> nonNull(List<String> l) {
        return l == null ? List.of() : l;
    }
}
