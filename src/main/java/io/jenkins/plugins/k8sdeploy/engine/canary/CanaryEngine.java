package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.apply.Applier;
import io.jenkins.plugins.k8sdeploy.engine.apply.Planned;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.Autoscalers;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Preparation;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Prepared;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RollingRollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import io.jenkins.plugins.k8sdeploy.engine.traffic.TrafficRouters;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Starts canaries and steers running ones. {@link #start} is the short first unit of {@code k8sDeploy(strategy:
 * 'canary')}: it loads and validates the manifests like any deploy, then
 *
 * <ul>
 *   <li>the first deploy of the app (no stable Deployment yet) goes straight to full: there is nothing to compare;</li>
 *   <li>a deploy that leaves the pod template as it is has nothing to canary: the other objects are applied;</li>
 *   <li>otherwise the other objects are applied, the app's Deployment becomes the canary Deployment
 *       {@code <app>-canary} (its pods carry {@link CanaryState#TRACK}{@code =canary}), and the plan starts. A canary of
 *       the same revision already running is taken over where it stands; one of another revision is replaced and the
 *       plan starts again.</li>
 * </ul>
 *
 * <p>{@link #control} promotes, moves or aborts a canary from outside the pipeline that started it.
 */
public final class CanaryEngine {
    private final Clock clock;

    public CanaryEngine(Clock clock) {
        this.clock = clock;
    }

    /** What to do to a running canary from outside. */
    public enum Action {
        /** Past the current pause or approval; with nobody driving, full promotion. */
        PROMOTE,
        /** Move to a weight (with nobody driving only). */
        WEIGHT,
        FULL,
        ABORT
    }

    public Rollout start(CanaryRequest req, ManifestFiles files, ClusterConnection connection, AnalysisPort analysis,
            Consumer<String> log) throws DeployException, java.io.IOException, InterruptedException {
        DeployRequest d = req.deploy();
        if (d.dryRun()) {
            throw new DeployException("A dry run of a canary is a dry run of its deploy: use k8sDeploy with dryRun"
                    + " and without strategy.");
        }
        AnalysisPort an = analysis == null ? AnalysisPort.NONE : analysis;
        for (String name : req.plan().analyses()) {
            if (!an.knows(name)) {
                throw new DeployException("The canary plan runs analysis '" + name + "', but no analysis of that name"
                        + " is configured. Nothing was applied.");
            }
        }
        List<Manifest> manifests = Preparation.load(d, files);
        Manifest appManifest = CanaryTemplates.appOf(manifests, req.app());
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            // The autoscaler's replicas are its own: validating the manifest's count would be a conflict with it. The
            // plan's lines are said only if it goes on as a plain deploy, which says them as it always does.
            Prepared prepared = Preparation.plan(d, manifests, cluster, Preparation.Replicas.LEFT_TO_AUTOSCALERS,
                    line -> {});
            Planned app = prepared.planned(appManifest);
            Deployment stable = app.deferred() ? null : cluster.client().apps().deployments()
                    .inNamespace(app.namespace()).withName(appManifest.name()).get();
            if (stable == null) {
                return rolling(req, prepared, cluster, log, appManifest.name(), "First deploy of "
                        + appManifest.name() + ": there is no stable version to compare with, so it goes straight to"
                        + " full.");
            }
            prepared = prepared.validate(cluster, line -> {});
            Map<String, Object> wouldBe = CanaryTemplates.template(prepared.dryRun().get(app));
            boolean unchanged = Objects.equals(wouldBe, CanaryTemplates.template(cluster.get(ResourceKind.DEPLOYMENT,
                    app.namespace(), app.manifest().name())));
            if (unchanged && !CanaryState.inProgress(stable)) {
                return rolling(req, prepared, cluster, log, appManifest.name(), "The pod template of "
                        + appManifest.name() + " is unchanged: nothing to canary; the other objects are applied.");
            }
            return startCanary(req, cluster, prepared.plan(), app, stable, an, log);
        }
    }

    /** Goes on as a plain deploy of what was prepared, on the same client: nothing is loaded or dry-run again. */
    private Rollout rolling(CanaryRequest req, Prepared prepared, KubeCluster cluster, Consumer<String> log,
            String app, String why) throws DeployException {
        log.accept(why);
        return new RollingRollout(new DeployEngine(clock).begin(req.deploy(), prepared, cluster, log),
                DeployRecord.Strategy.CANARY, app, new StrategyEvent(clock.instant(), StrategyEvent.Type.PROMOTED, 100, why));
    }

    private Rollout startCanary(CanaryRequest req, KubeCluster cluster, List<Planned> plan, Planned app,
            Deployment stable, AnalysisPort analysis, Consumer<String> log) throws DeployException {
        String ns = app.namespace();
        String name = app.manifest().name();
        Map<String, Object> template = CanaryTemplates.templateOf(app.manifest().body());
        String revision = CanaryTemplates.hash(template);
        Map<String, String> a = CanaryState.annotations(stable);
        boolean sameCanary = revision.equals(a.get(CanaryState.REVISION));
        Map<String, String> selector = stable.getSpec().getSelector().getMatchLabels();
        if (selector == null || selector.isEmpty()) {
            throw new DeployException("Deployment/" + name + " selects its pods with matchExpressions only; a canary"
                    + " needs matchLabels to tell its pods apart.");
        }
        Map<String, String> canaryPods = new LinkedHashMap<>(selector);
        canaryPods.put(CanaryState.TRACK, "canary");
        Map<String, String> stablePods = new LinkedHashMap<>(selector);
        String stableHash = stableHash(cluster, stable);
        if (stableHash != null) {
            stablePods.put(Services.POD_TEMPLATE_HASH, stableHash);
        }

        int hpaTotal = hpaTotal(cluster, ns, name);
        boolean hpa = hpaTotal > 0;
        int total = sameCanary ? CanaryState.intOf(a, CanaryState.TOTAL, 1)
                : hpa ? hpaTotal
                : app.manifest().body().get("spec") instanceof Map<?, ?> spec && spec.get("replicas") instanceof Number n
                        ? n.intValue()
                        : CanaryState.inProgress(stable) ? CanaryState.intOf(a, CanaryState.TOTAL, 1)
                        : CanaryRollout.replicas(stable);
        var rolling = stable.getSpec().getStrategy() == null ? null : stable.getSpec().getStrategy().getRollingUpdate();
        int surge = ReplicaMath.resolve(rolling == null || rolling.getMaxSurge() == null ? null
                : rolling.getMaxSurge().getStrVal() != null ? rolling.getMaxSurge().getStrVal()
                : String.valueOf(rolling.getMaxSurge().getIntVal()), total, true);
        int unavailable = ReplicaMath.resolve(rolling == null || rolling.getMaxUnavailable() == null ? null
                : rolling.getMaxUnavailable().getStrVal() != null ? rolling.getMaxUnavailable().getStrVal()
                : String.valueOf(rolling.getMaxUnavailable().getIntVal()), total, false);

        String stableService = req.stableService();
        if (stableService == null) {
            List<String> candidates = plan.stream().filter(p -> "Service".equals(p.manifest().kind())
                    && CanaryTemplates.selects(p.manifest(), template)).map(p -> p.manifest().name()).toList();
            if (candidates.isEmpty()) {
                candidates = Services.selecting(cluster, ns, CanaryTemplates.labels(template));
            }
            stableService = candidates.size() == 1 ? candidates.get(0) : candidates.contains(name) ? name : null;
        }
        if (req.router() != null && stableService == null) {
            throw new DeployException("A canary with a traffic router needs the stable Service: name it with"
                    + " stableService (no single Service of the manifests selects the pods of " + name + ").");
        }
        String canaryService = req.canaryService() != null ? req.canaryService()
                : stableService == null ? null : stableService + "-canary";
        CanaryServices services = new CanaryServices(ns, stableService, canaryService, stablePods, canaryPods);

        DeployRequest d = req.deploy();
        CanaryRollout r = new CanaryRollout(cluster.connection().serverUrl(), ns, name, req.driver(), revision,
                req.plan(), req.router(), services, false, d.timeout(), d.rollbackOnFailure(), total, hpa, surge,
                unavailable, WorkloadState.of(cluster.get(ResourceKind.DEPLOYMENT, ns, name)).images(),
                CanaryTemplates.imagesOf(template), clock.instant());
        r.withAnalysis(analysis);
        r.log(clock, log, Preparation.connected(cluster));

        // Everything but the app's Deployment is applied as in any deploy.
        Applier.applyAll(plan.stream().filter(p -> p != app).toList(), cluster, d.forceConflicts(), applied -> {
            Planned p = applied.planned();
            r.changes.add(new ObjectChange(p.manifest().kind(), p.manifest().name(), p.namespace(), applied.action(),
                    null));
            r.log(clock, log, "Applied " + p.manifest().kind() + "/" + p.manifest().name() + ": " + applied.action()
                    + ".");
        });
        boolean ours = false;
        if (req.router() != null) {
            TrafficRouters.of(req.router(), ns).check(cluster, services);
            ours = Services.ensureCanaryService(cluster, ns, stableService, canaryService, canaryPods, name);
            if (stableHash != null) {
                Services.pin(cluster, ns, stableService, stableHash);
            }
            if (sameCanary && CanaryState.intOf(a, CanaryState.WEIGHT, 0) > 0) {
                // The router object may be among the manifests just applied, with stable-only weights written in
                // it: the running canary keeps its weight.
                TrafficRouters.of(req.router(), ns).setWeight(cluster, services,
                        CanaryState.intOf(a, CanaryState.WEIGHT, 0));
            }
        }
        if (CanaryState.inProgress(stable) && !sameCanary) {
            r.event(clock, log, StrategyEvent.Type.SUPERSEDED, 0, "A new revision (" + revision + ") replaces the canary"
                    + " of revision " + a.get(CanaryState.REVISION) + "; the plan starts again.");
            if (req.router() != null) {
                TrafficRouters.of(req.router(), ns).reset(cluster, services);
            }
        }
        int canaryReplicas = 0;
        if (sameCanary) {
            Deployment live = cluster.client().apps().deployments().inNamespace(ns)
                    .withName(CanaryRollout.canaryName(name)).get();
            canaryReplicas = CanaryRollout.replicas(live);
            r.weight = CanaryState.intOf(a, CanaryState.WEIGHT, 0);
            if (req.plan().toString().equals(a.get(CanaryState.PLAN))) {
                r.step = CanaryState.intOf(a, CanaryState.STEP, 0);
            }
        }
        cluster.apply(ResourceKind.DEPLOYMENT, ns, CanaryTemplates.canaryDeployment(app.manifest(), canaryPods,
                canaryReplicas));
        if (!sameCanary && !hpa && req.router() == null && CanaryRollout.replicas(stable) != total) {
            cluster.mergePatch(ResourceKind.DEPLOYMENT, ns, name, Map.of("spec", Map.of("replicas", total)));
        }
        CanaryRouting routing = new CanaryRouting(req.router(), stableService, canaryService, ours, stablePods,
                canaryPods, hpa, surge, unavailable, r.fromImages, r.toImages);
        Map<String, String> state = new LinkedHashMap<>();
        state.put(CanaryState.REVISION, revision);
        state.put(CanaryState.PLAN, req.plan().toString());
        state.put(CanaryState.STEP, String.valueOf(r.step));
        state.put(CanaryState.WEIGHT, String.valueOf(r.weight));
        state.put(CanaryState.TOTAL, String.valueOf(total));
        state.put(CanaryState.PHASE, CanaryState.PROGRESSING);
        state.put(CanaryState.DRIVER, req.driver());
        state.put(CanaryState.HEARTBEAT, clock.instant().toString());
        state.put(CanaryState.ROUTING, routing.toJson());
        state.put(CanaryState.COMMAND, null);
        cluster.mergePatch(ResourceKind.DEPLOYMENT, ns, name, CanaryState.set(state));
        r.canaryServiceOurs = ours;
        r.event(clock, log, StrategyEvent.Type.START, r.weight, (sameCanary ? "Carrying on with" : "Started")
                + " the canary of " + name + ": " + String.join(", ", r.fromImages) + " -> "
                + String.join(", ", r.toImages) + "; plan: " + req.plan() + "; " + (req.router() == null
                        ? "weights as shares of " + total + " pods" + (hpa ? " (from the HorizontalPodAutoscaler)" : "")
                        : "weights on " + TrafficRouters.of(req.router(), ns).describe()) + ".");
        return r;
    }

    /** A canary waiting for an approval: who drives it, and the revision its approvals are numbered by. */
    public record AwaitingApproval(String driver, String revision) {
        /** True when {@code approvalId} is one of this canary's (a driver numbers them "revision-step"). */
        public boolean owns(String approvalId) {
            return revision != null && approvalId != null && approvalId.startsWith(revision + "-");
        }
    }

    /**
     * The canary of {@code app} when it waits for an approval now (its {@link CanaryState#DRIVER}, such as
     * "jenkins: shop/deploy#12", and its revision); null when no canary of it waits for one.
     */
    public AwaitingApproval awaitingApproval(ClusterConnection connection, String namespace, String app)
            throws DeployException {
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            Deployment stable = cluster.client().apps().deployments().inNamespace(namespace).withName(app).get();
            Map<String, String> a = CanaryState.annotations(stable);
            return stable != null && CanaryState.driven(stable, clock.instant())
                    && CanaryState.AWAITING_APPROVAL.equals(a.get(CanaryState.PHASE))
                    ? new AwaitingApproval(a.get(CanaryState.DRIVER), a.get(CanaryState.REVISION)) : null;
        }
    }

    /**
     * The record of a promotion past an approval that the driver's front end took itself (Jenkins, for a permitted
     * user), with {@code line} saying so: nothing is written on the Deployment.
     */
    public Rollout approvedThroughDriver(ClusterConnection connection, String namespace, String app, String line,
            Consumer<String> log) {
        log.accept(line);
        return CommandRollout.decided(connection.serverUrl(), namespace, app, line, clock.instant());
    }

    /**
     * Steers the canary of {@code app} from outside the pipeline that started it. When that pipeline still drives it
     * (it said so within the last minute), the command is written to the Deployment and the returned rollout waits
     * until the driver took it; otherwise the returned rollout carries the command out itself.
     *
     * @param weight for {@link Action#WEIGHT}
     */
    public Rollout control(ClusterConnection connection, String namespace, String app, Action action, int weight,
            String driver, AnalysisPort analysis, Duration timeout, Consumer<String> log) throws DeployException {
        return new CanaryControl(clock).control(connection, namespace, app, action, weight, driver, analysis, timeout,
                log);
    }

    /** The pod-template-hash of the stable Deployment's current ReplicaSet. */
    private static String stableHash(KubeCluster cluster, Deployment stable) {
        String revision = CanaryState.annotations(stable).get("deployment.kubernetes.io/revision");
        return cluster.client().apps().replicaSets().inNamespace(stable.getMetadata().getNamespace())
                .withLabels(stable.getSpec().getSelector().getMatchLabels()).list().getItems().stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences()
                        .stream().anyMatch(o -> o.getUid().equals(stable.getMetadata().getUid())))
                .filter(rs -> Objects.equals(revision, CanaryState.annotations(rs).get(
                        "deployment.kubernetes.io/revision")))
                .map(ReplicaSet::getMetadata)
                .map(m -> m.getLabels() == null ? null : m.getLabels().get(Services.POD_TEMPLATE_HASH))
                .filter(Objects::nonNull)
                .findFirst().orElse(null);
    }

    /** The replica count the HorizontalPodAutoscaler of {@code app} wants, or 0 when none manages it. */
    private static int hpaTotal(KubeCluster cluster, String ns, String app) throws DeployException {
        Autoscalers.Autoscaler hpa = Autoscalers.targeting(cluster, ns, "Deployment", app);
        return hpa == null ? 0 : hpa.replicas();
    }
}
