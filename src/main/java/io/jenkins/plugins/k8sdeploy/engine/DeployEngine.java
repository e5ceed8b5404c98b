package io.jenkins.plugins.k8sdeploy.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.k8sdeploy.engine.apply.Applier;
import io.jenkins.plugins.k8sdeploy.engine.apply.ObjectDiff;
import io.jenkins.plugins.k8sdeploy.engine.apply.Planned;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ImageOverrides;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestLoader;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.WorkloadResult;
import io.jenkins.plugins.k8sdeploy.engine.record.Timeline;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Rollback;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWaiter;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Workload;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import java.io.IOException;
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
 * The one entry point every front end (pipeline step, freestyle builder, command line) calls to deploy: load and check
 * the manifests, validate all of them with a server-side dry run, apply them in dependency order, wait until every
 * workload has really rolled out, and roll back the ones that failed.
 */
public final class DeployEngine {
    private final Clock clock;

    public DeployEngine() {
        this(Clock.systemUTC());
    }

    public DeployEngine(Clock clock) {
        this.clock = clock;
    }

    /**
     * Deploys the request to the cluster.
     *
     * @param log where progress lines go: short, one per step, never a secret
     * @return what happened; a failed rollout is a record with outcome FAILED, not an exception
     * @throws DeployException when the deploy is refused before anything is applied (bad manifests, an invalid
     *     object, no permission), or an apply fails midway; its message says what, and what was applied
     */
    public DeployRecord deploy(DeployRequest request, ManifestFiles files, ClusterConnection connection,
            Consumer<String> log) throws DeployException, IOException, InterruptedException {
        Instant started = clock.instant();
        Timeline timeline = new Timeline(clock, log);
        List<Manifest> manifests = ManifestLoader.load(request.manifests(), request.inlineYaml(), request.variables(),
                files);
        ImageOverrides.apply(manifests, request.images());
        timeline.accept("Loaded " + manifests.size() + " objects: " + manifests.stream().map(Manifest::describe)
                .collect(Collectors.joining(", ")) + ".");
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            timeline.accept("Connected to " + connection.serverUrl() + " (Kubernetes " + cluster.serverVersion()
                    + ").");
            String namespace = request.namespace() != null ? request.namespace()
                    : connection.defaultNamespace() != null ? connection.defaultNamespace() : "default";
            List<Planned> plan = Applier.plan(manifests, cluster, namespace, request.pinNamespace());
            List<Planned> ready = plan.stream().filter(p -> !p.deferred()).toList();
            Map<Planned, GenericKubernetesResource> dryRun = Applier.validate(ready, cluster, null);
            timeline.accept("Validated " + ready.size() + " objects with a server-side dry run"
                    + (ready.size() < plan.size() ? "; " + (plan.size() - ready.size()) + " wait for a namespace or"
                            + " CRD of this deploy" : "") + ".");
            if (request.dryRun()) {
                return dryRunRecord(started, cluster, plan, dryRun, timeline);
            }
            Applying applying = new Applying(cluster, timeline);
            applying.applyAll(plan);
            Map<Workload, ResourceKind> workloads = applying.workloads();
            if (workloads.isEmpty()) {
                timeline.accept("No workload to wait for.");
                return record(started, cluster, DeployRecord.SUCCEEDED, applying, List.of(), List.of(), timeline,
                        null);
            }
            timeline.accept("Waiting up to " + format(request.timeout()) + " for " + workloads.keySet().stream()
                    .map(w -> w.kind() + "/" + w.name()).collect(Collectors.joining(", ")) + " to roll out.");
            Map<Workload, RolloutStatus> statuses =
                    RolloutWaiter.await(cluster, workloads, request.timeout(), clock, timeline);
            List<WorkloadResult> results = applying.results(statuses);
            List<Workload> failed = statuses.entrySet().stream().filter(e -> e.getValue().isFailed())
                    .map(Map.Entry::getKey).toList();
            if (failed.isEmpty()) {
                timeline.accept("Deployed: every workload rolled out.");
                return record(started, cluster, DeployRecord.SUCCEEDED, applying, results, List.of(), timeline, null);
            }
            String failure = failed.stream().map(w -> w.describe() + " failed: " + statuses.get(w).message())
                    .collect(Collectors.joining("; ")) + ".";
            List<String> rollbacks = request.rollbackOnFailure()
                    ? rollBack(cluster, failed, applying, request.timeout(), timeline)
                    : List.of();
            if (!request.rollbackOnFailure()) {
                timeline.accept("Not rolling back: rollbackOnFailure is off.");
            }
            return record(started, cluster, DeployRecord.FAILED, applying, results, rollbacks, timeline, failure);
        }
    }

    private List<String> rollBack(KubeCluster cluster, List<Workload> failed, Applying applying, Duration timeout,
            Timeline timeline) throws DeployException, InterruptedException {
        List<String> done = new ArrayList<>();
        Map<Workload, ResourceKind> rolledBack = new LinkedHashMap<>();
        for (Workload w : failed) {
            WorkloadState before = applying.before(w);
            if (before == null || before.revision() == 0) {
                String line = w.describe() + " has nothing to roll back to: this was its first deploy.";
                timeline.accept(line);
                done.add(line);
                continue;
            }
            if (!Workload.ROLLBACK_KINDS.contains(w.kind())) {
                String line = w.describe() + " cannot be rolled back: only Deployments, StatefulSets and DaemonSets"
                        + " keep earlier revisions.";
                timeline.accept(line);
                done.add(line);
                continue;
            }
            Rollback.Result result = Rollback.rollback(cluster, w.kind(), w.namespace(), w.name(), 0);
            timeline.accept("Rolling back: " + result.describe() + ".");
            done.add(result.describe());
            rolledBack.put(w, applying.kind(w));
        }
        if (!rolledBack.isEmpty()) {
            Map<Workload, RolloutStatus> after = RolloutWaiter.await(cluster, rolledBack, timeout, clock, timeline);
            after.forEach((w, s) -> {
                String line = s.isDone()
                        ? "Rollback of " + w.describe() + " finished: the previous revision serves again."
                        : "Rollback of " + w.describe() + " did not finish: " + s.message();
                timeline.accept(line);
                done.add(line);
            });
        }
        return done;
    }

    private DeployRecord dryRunRecord(Instant started, KubeCluster cluster, List<Planned> plan,
            Map<Planned, GenericKubernetesResource> dryRun, Timeline timeline) throws DeployException {
        List<ObjectChange> changes = new ArrayList<>();
        for (Planned p : plan) {
            String name = p.manifest().kind() + "/" + p.manifest().name();
            GenericKubernetesResource wouldBe = dryRun.get(p);
            if (wouldBe == null) {
                changes.add(change(p, "would create (validated once its namespace or CRD exists)", ""));
                timeline.accept(name + ": would create (its namespace or CRD is created by this deploy).");
                continue;
            }
            GenericKubernetesResource live = cluster.get(p.kind(), p.namespace(), p.manifest().name());
            String diff = ObjectDiff.diff(name, live, wouldBe);
            String action = live == null ? "would create" : diff.isEmpty() ? "unchanged" : "would change";
            changes.add(change(p, action, diff));
            timeline.accept(name + ": " + action + (diff.isEmpty() ? "." : ":\n" + diff.stripTrailing()));
        }
        timeline.accept("Dry run: nothing was applied.");
        Instant finished = clock.instant();
        return new DeployRecord(cluster.connection().serverUrl(), DeployRecord.DRY_RUN, started, finished,
                Duration.between(started, finished).toMillis(), cluster.requestCount(), changes, List.of(), List.of(),
                timeline.entries(), null);
    }

    private DeployRecord record(Instant started, KubeCluster cluster, String outcome, Applying applying,
            List<WorkloadResult> results, List<String> rollbacks, Timeline timeline, String failure) {
        Instant finished = clock.instant();
        timeline.accept("API requests: " + cluster.requestCount() + ".");
        return new DeployRecord(cluster.connection().serverUrl(), outcome, started, finished,
                Duration.between(started, finished).toMillis(), cluster.requestCount(), applying.changes(), results,
                rollbacks, timeline.entries(), failure);
    }

    static ObjectChange change(Planned p, String action, String diff) {
        return new ObjectChange(p.manifest().kind(), p.manifest().name(), p.namespace(), action, diff);
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }

    /** The apply phase's bookkeeping: what was applied, and each workload's state before. */
    private static final class Applying {
        private final KubeCluster cluster;
        private final Timeline timeline;
        private final List<Applier.Applied> applied = new ArrayList<>();
        private final Map<Workload, Applier.Applied> workloads = new LinkedHashMap<>();

        Applying(KubeCluster cluster, Timeline timeline) {
            this.cluster = cluster;
            this.timeline = timeline;
        }

        void applyAll(List<Planned> plan) throws DeployException {
            List<Planned> deferred = plan.stream().filter(Planned::deferred).toList();
            List<Planned> rest = new ArrayList<>(plan);
            if (!deferred.isEmpty()) {
                List<Planned> prerequisites = plan.stream().filter(Planned::isPrerequisite).toList();
                for (Planned p : prerequisites) {
                    applyOne(p);
                }
                Applier.awaitEstablished(prerequisites, cluster);
                List<Planned> revalidate = new ArrayList<>();
                for (Planned p : deferred) {
                    ResourceKind kind = cluster.kind(p.manifest().apiVersion(), p.manifest().kind());
                    revalidate.add(new Planned(p.manifest(), kind != null ? kind : p.kind(), p.namespace(), false));
                }
                Applier.validate(revalidate, cluster, names(prerequisites));
                rest.removeAll(prerequisites);
                rest.replaceAll(p -> p.deferred() ? revalidate.get(deferred.indexOf(p)) : p);
            }
            for (Planned p : rest) {
                try {
                    applyOne(p);
                } catch (DeployException e) {
                    throw new DeployException(e.getMessage() + (applied.isEmpty() ? " Nothing was applied."
                            : " Applied before this: " + names(applied.stream().map(Applier.Applied::planned).toList())
                                    + "."));
                }
            }
        }

        private void applyOne(Planned p) throws DeployException {
            Applier.Applied a = Applier.apply(p, cluster);
            applied.add(a);
            timeline.accept("Applied " + p.manifest().kind() + "/" + p.manifest().name()
                    + (p.namespace() == null ? "" : " in " + p.namespace()) + ": " + a.action() + ".");
            Workload w = WorkloadState.workloadOf(a.after(), p.manifest().apiVersion());
            if (w != null) {
                workloads.put(w, a);
            }
        }

        Map<Workload, ResourceKind> workloads() {
            Map<Workload, ResourceKind> m = new LinkedHashMap<>();
            workloads.forEach((w, a) -> m.put(w, a.planned().kind()));
            return m;
        }

        ResourceKind kind(Workload w) {
            return workloads.get(w).planned().kind();
        }

        WorkloadState before(Workload w) {
            Applier.Applied a = workloads.get(w);
            return a.before() == null ? null : WorkloadState.of(a.before());
        }

        List<ObjectChange> changes() {
            return applied.stream().map(a -> change(a.planned(), a.action(), null)).toList();
        }

        List<WorkloadResult> results(Map<Workload, RolloutStatus> statuses) throws DeployException {
            List<WorkloadResult> results = new ArrayList<>();
            for (var e : statuses.entrySet()) {
                Workload w = e.getKey();
                Applier.Applied a = workloads.get(w);
                WorkloadState before = a.before() == null ? WorkloadState.NONE : WorkloadState.of(a.before());
                GenericKubernetesResource now = cluster.get(a.planned().kind(), w.namespace(), w.name());
                WorkloadState after = now == null ? WorkloadState.NONE : WorkloadState.of(now);
                results.add(new WorkloadResult(w.kind(), w.name(), w.namespace(), before.revision(), after.revision(),
                        before.images(), after.images(), e.getValue().phase().name(), e.getValue().message()));
            }
            return results;
        }

        private static String names(List<Planned> planned) {
            return planned.stream().map(p -> p.manifest().kind() + "/" + p.manifest().name())
                    .collect(Collectors.joining(", "));
        }
    }
}
