package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.apply.Applier;
import io.jenkins.plugins.k8sdeploy.engine.apply.Planned;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Namespaces;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Preparation;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Prepared;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Blue-green for one app, without a controller in the cluster: two colour Deployments ({@code <app>-blue},
 * {@code <app>-green}) made from the app's manifest, an active Service whose selector names the colour that serves,
 * and a preview Service that selects the other. A deploy writes the new template into the colour not active; a switch
 * changes the active Service's selector once the new colour is fully available; the colour left keeps its pods for
 * a delay, so switching back is one selector change, and is scaled to zero when that time has passed.
 *
 * <p>Each entry point is short (load, check, apply: a few requests per object) and returns a {@link BlueGreenRollout}
 * that a front end moves on with {@link BlueGreenRollout#tick} ({@code Rollouts.run} on the command line, a timer in
 * Jenkins). What is needed later is in the cluster (the active Service's selector, annotations on the colour
 * Deployments) and in the rollout's serializable state.
 */
public final class BlueGreenEngine {
    private final Clock clock;

    public BlueGreenEngine() {
        this(Clock.systemUTC());
    }

    public BlueGreenEngine(Clock clock) {
        this.clock = clock;
    }

    /**
     * Loads and checks the manifests, validates every object by a server-side dry run (bad input changes nothing),
     * then applies them with the app's Deployment written into the colour not active (blue on a first deploy) at the
     * app's full replica count, the active Service keeping its colour and the preview Service selecting the new one.
     *
     * @param log where progress lines go: short, one per step, never a secret
     * @return the rollout, waiting for the new colour to be available; then it switches (a first deploy, or
     *     {@code autoSwitch}) or ends at "preview ready"
     * @throws DeployException when the request is refused before anything is applied, or an apply fails midway
     */
    public BlueGreenRollout deploy(BlueGreenRequest request, ManifestFiles files, ClusterConnection connection,
            Consumer<String> log) throws DeployException, IOException, InterruptedException {
        DeployRequest d = request.deploy();
        Instant started = clock.instant();
        List<Manifest> manifests = Preparation.load(d, files);
        Manifest app = BlueGreenManifests.findApp(manifests, request.app());
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            String namespace = Namespaces.effective(d.namespace(), connection);
            String appNamespace = app.namespace() != null ? app.namespace() : namespace;
            BlueGreenTarget target = new BlueGreenTarget(appNamespace, app.name(), request.activeService(),
                    request.previewService());
            checkServices(target);
            List<String> early = new ArrayList<>();
            early.add(Preparation.loaded(manifests));
            early.add(Preparation.connected(cluster));

            Service liveActive = BlueGreenCluster.service(cluster, appNamespace, target.activeService());
            String selected = liveActive == null || liveActive.getSpec() == null ? null
                    : Colours.colourOf(liveActive.getSpec().getSelector());
            // Active means selected and has served: a first deploy that failed leaves the Service naming a colour
            // that never served, and the next deploy is a first deploy again, into the same colour.
            String active = selected != null && BlueGreenCluster.hasServed(BlueGreenCluster.deployment(cluster,
                    appNamespace, target.deployment(selected))) ? selected : null;
            boolean first = active == null;
            String colour = first ? (selected != null ? selected : Colours.BLUE) : Colours.other(active);
            Deployment liveColour = BlueGreenCluster.deployment(cluster, appNamespace, target.deployment(colour));
            boolean plainExists = first && BlueGreenCluster.deployment(cluster, appNamespace, app.name()) != null;

            List<Manifest> transformed = BlueGreenManifests.transform(manifests, app, target, appNamespace, liveActive,
                    active != null ? active : selected, colour);
            // Its lines (the validation's) are said once the rollout that records them exists.
            Prepared prepared = Preparation.prepare(d, transformed, cluster, Preparation.Replicas.AS_WRITTEN,
                    early::add);

            BlueGreenRollout rollout = new BlueGreenRollout(BlueGreenRollout.Operation.DEPLOY, target,
                    connection.serverUrl(), started, active, colour, first || request.autoSwitch(),
                    request.scaleDownDelay(), d.timeout(), request.waitForScaleDown(), plainExists,
                    liveColour == null ? WorkloadState.NONE
                            : WorkloadState.of(cluster.get(ResourceKind.DEPLOYMENT, appNamespace,
                                    target.deployment(colour))));
            if (!first && request.autoSwitch()) {
                rollout.analyseAfterSwitch(request.analysis());
            }
            early.forEach(line -> rollout.log(clock, log, line));
            rollout.event(clock.instant(), StrategyEvent.Type.START, 0, first
                    ? "first blue-green deploy of " + app.name() + ": " + colour
                    : "deploy of " + app.name() + " into " + colour + " (" + active + " serves)");
            rollout.addEvents(BlueGreenCluster.scaleDownExpired(cluster, target, null, clock,
                    line -> rollout.log(clock, log, line)));
            if (plainExists) {
                rollout.log(clock, log, "Deployment/" + app.name() + " exists from before blue-green; it is left"
                        + " untouched (its pods share Service " + target.activeService() + " until the switch to "
                        + colour + ").");
            }
            if (first) {
                rollout.log(clock, log, "First blue-green deploy of " + app.name() + ": creating " + colour
                        + " (Deployment/" + target.deployment(colour) + "), then pointing Service "
                        + target.activeService() + " at it.");
            } else {
                rollout.log(clock, log, active + " serves; deploying the new version into " + colour + " (Deployment/"
                        + target.deployment(colour) + ") at " + Colours.replicas(app) + " replicas, previewed by"
                        + " Service " + target.previewService() + ".");
            }
            if (liveColour != null && BlueGreenCluster.scaleDownAt(liveColour) != null) {
                // It is about to hold the new version: it must not be scaled down when the old time passes.
                BlueGreenCluster.annotate(cluster, appNamespace, target.deployment(colour),
                        java.util.Collections.singletonMap(Colours.SCALE_DOWN_AT, null));
            }
            applyAll(rollout, prepared.plan(), cluster, d.forceConflicts(), log);
            rollout.waitForAvailability(clock.instant());
            rollout.log(clock, log, "Waiting up to " + BlueGreenRollout.format(d.timeout()) + " for Deployment/"
                    + target.deployment(colour) + " to be available.");
            rollout.countRequests(cluster.requestCount());
            return rollout;
        }
    }

    /**
     * Switches the app's active Service over to its preview colour (deployed, never served yet). Refused with a
     * {@link DeployException}, changing nothing, unless that colour is fully available.
     *
     * @return the rollout, about to switch; ticking it switches (one merge patch of the active Service's selector),
     *     checks the EndpointSlices, and marks the colour left for scale-down after the delay
     */
    public BlueGreenRollout switchOver(BlueGreenSwitchRequest request, ClusterConnection connection,
            Consumer<String> log) throws DeployException {
        return startSwitch(request, connection, log, BlueGreenRollout.Operation.SWITCH);
    }

    /**
     * Switches the app back to the colour that served before. While that colour still has its pods (within the
     * scale-down delay) it is one selector change; when it was scaled down already, it is scaled up to the active
     * colour's replica count first and the switch follows once it is available (the log says it was not instant).
     */
    public BlueGreenRollout switchBack(BlueGreenSwitchRequest request, ClusterConnection connection,
            Consumer<String> log) throws DeployException {
        return startSwitch(request, connection, log, BlueGreenRollout.Operation.SWITCH_BACK);
    }

    private BlueGreenRollout startSwitch(BlueGreenSwitchRequest request, ClusterConnection connection,
            Consumer<String> log, BlueGreenRollout.Operation operation) throws DeployException {
        Instant started = clock.instant();
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            BlueGreenTarget target = request.target().inNamespace(Namespaces.effective(
                    request.target().namespace(), connection));
            checkServices(target);
            String ns = target.namespace();
            Service service = BlueGreenCluster.service(cluster, ns, target.activeService());
            if (service == null) {
                throw new DeployException("Service/" + target.activeService() + " does not exist in namespace " + ns
                        + ", so " + target.app() + " cannot be switched. Expected the active Service of a blue-green"
                        + " app (deploy it first with k8sDeploy strategy: 'blueGreen' or k8spd bluegreen deploy).");
            }
            String active = Colours.colourOf(service.getSpec().getSelector());
            if (active == null) {
                throw new DeployException("Service/" + target.activeService() + " in " + ns + " selects no colour"
                        + " (its selector has no " + Colours.COLOUR + "), so " + target.app() + " cannot be"
                        + " switched. Expected a blue-green app whose first deploy finished.");
            }
            String to = Colours.other(active);
            Deployment d = BlueGreenCluster.deployment(cluster, ns, target.deployment(to));
            if (d == null) {
                throw new DeployException("There is no " + to + " colour to switch to: Deployment/"
                        + target.deployment(to) + " does not exist in " + ns + ". Nothing was changed; " + active
                        + " still serves.");
            }
            RolloutStatus availability = BlueGreenCluster.availability(d);
            boolean served = BlueGreenCluster.hasServed(d);
            if (operation == BlueGreenRollout.Operation.SWITCH) {
                if (served) {
                    throw new DeployException("Nothing new to switch to: " + to + " (Deployment/"
                            + target.deployment(to) + ") holds the version that served before " + active
                            + ", not a new one. Nothing was changed; " + active + " still serves. To switch back to"
                            + " it, use rollback (k8spd bluegreen switch --rollback " + target.app() + ").");
                }
                if (!availability.isDone()) {
                    throw new DeployException(BlueGreenRollout.refusal(target, to, active, availability));
                }
            } else if (!served) {
                throw new DeployException("There is no earlier version to switch back to: " + to + " (Deployment/"
                        + target.deployment(to) + ") was deployed but has never served (a preview, or a deploy that"
                        + " failed). Nothing was changed; " + active + " still serves.");
            }
            boolean instant = availability.isDone();
            BlueGreenRollout rollout = new BlueGreenRollout(operation, target, connection.serverUrl(), started,
                    active, to, true, request.scaleDownDelay(), request.timeout(), request.waitForScaleDown(), false,
                    WorkloadState.of(cluster.get(ResourceKind.DEPLOYMENT, ns, target.deployment(to))));
            if (operation == BlueGreenRollout.Operation.SWITCH) {
                rollout.analyseAfterSwitch(request.analysis());
            }
            rollout.event(clock.instant(), StrategyEvent.Type.START, operation == BlueGreenRollout.Operation.SWITCH
                    ? 0 : 100, (operation == BlueGreenRollout.Operation.SWITCH ? "switch" : "switch back") + " of "
                    + target.app() + " from " + active + " to " + to);
            // The only colour not active is the one switched to: nothing else can be due for scale-down.
            rollout.addEvents(BlueGreenCluster.scaleDownExpired(cluster, target, to, clock,
                    line -> rollout.log(clock, log, line)));
            if (instant) {
                rollout.log(clock, log, (operation == BlueGreenRollout.Operation.SWITCH ? "Switching" : "Switching"
                        + " back") + " Service " + target.activeService() + " from " + active + " to " + to + " ("
                        + availability.message() + ").");
                rollout.switchNext();
            } else {
                int replicas = BlueGreenCluster.replicas(BlueGreenCluster.deployment(cluster, ns,
                        target.deployment(active)));
                BlueGreenCluster.scale(cluster, ns, target.deployment(to), replicas, true);
                rollout.log(clock, log, "Switching back is not instant: " + to + " (Deployment/"
                        + target.deployment(to) + ") had been scaled down (" + availability.message() + "). Scaled it"
                        + " up to " + replicas + " replicas; the switch follows once they are available (up to "
                        + BlueGreenRollout.format(request.timeout()) + "). " + active + " serves meanwhile.");
                rollout.waitForAvailability(clock.instant());
            }
            rollout.countRequests(cluster.requestCount());
            return rollout;
        }
    }

    /** How the app stands now: which colour is active, which is previewed, and each colour's Deployment. */
    public BlueGreenStatus status(BlueGreenTarget target, ClusterConnection connection) throws DeployException {
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            BlueGreenTarget t = target.inNamespace(Namespaces.effective(target.namespace(), connection));
            String ns = t.namespace();
            Service active = BlueGreenCluster.service(cluster, ns, t.activeService());
            Service preview = BlueGreenCluster.service(cluster, ns, t.previewService());
            List<BlueGreenStatus.ColourState> colours = new ArrayList<>();
            for (String colour : List.of(Colours.BLUE, Colours.GREEN)) {
                Deployment d = BlueGreenCluster.deployment(cluster, ns, t.deployment(colour));
                if (d == null) {
                    continue;
                }
                var live = cluster.get(ResourceKind.DEPLOYMENT, ns, t.deployment(colour));
                colours.add(new BlueGreenStatus.ColourState(colour, t.deployment(colour), BlueGreenCluster.replicas(d),
                        d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0
                                : d.getStatus().getAvailableReplicas(),
                        live == null ? List.of() : WorkloadState.of(live).images(),
                        BlueGreenCluster.availability(d).message(), BlueGreenCluster.hasServed(d),
                        BlueGreenCluster.scaleDownAt(d)));
            }
            if (active == null && colours.isEmpty()) {
                throw new DeployException(t.app() + " is not a blue-green app in namespace " + ns + ": neither Service/"
                        + t.activeService() + " nor Deployment/" + t.deployment(Colours.BLUE) + " or "
                        + t.deployment(Colours.GREEN) + " exists.");
            }
            return new BlueGreenStatus(t,
                    active == null || active.getSpec() == null ? null
                            : Colours.colourOf(active.getSpec().getSelector()),
                    preview == null || preview.getSpec() == null ? null
                            : Colours.colourOf(preview.getSpec().getSelector()),
                    colours);
        }
    }

    /**
     * Scales to zero every colour of the app whose scale-down time has passed (never the active one), removing the
     * annotation. Deploys and switches call it first; a front end that waits may call it too.
     *
     * @return one SCALE_DOWN event per colour scaled down
     */
    public List<StrategyEvent> scaleDownExpired(BlueGreenTarget target, ClusterConnection connection,
            Consumer<String> log) throws DeployException {
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            return scaleDownExpired(cluster, target.inNamespace(Namespaces.effective(target.namespace(), connection)),
                    clock, log);
        }
    }

    /** As {@link #scaleDownExpired(BlueGreenTarget, ClusterConnection, Consumer)}, on an open cluster. */
    public static List<StrategyEvent> scaleDownExpired(KubeCluster cluster, BlueGreenTarget target, Clock clock,
            Consumer<String> log) throws DeployException {
        return BlueGreenCluster.scaleDownExpired(cluster, target, null, clock, log);
    }

    private static void checkServices(BlueGreenTarget target) throws DeployException {
        if (target.activeService().equals(target.previewService())) {
            throw new DeployException("The active and the preview Service are both named '" + target.activeService()
                    + "'. Expected two different Services: the active one takes the traffic, the preview one selects"
                    + " the other colour.");
        }
    }

    private void applyAll(BlueGreenRollout rollout, List<Planned> plan, KubeCluster cluster, boolean force,
            Consumer<String> log) throws DeployException {
        Applier.applyAll(plan, cluster, force, a -> {
            Planned x = a.planned();
            rollout.addChange(new ObjectChange(x.manifest().kind(), x.manifest().name(), x.namespace(), a.action(),
                    null));
            rollout.log(clock, log, "Applied " + x.manifest().kind() + "/" + x.manifest().name()
                    + (x.namespace() == null ? "" : " in " + x.namespace()) + ": " + a.action() + ".");
        });
    }
}
