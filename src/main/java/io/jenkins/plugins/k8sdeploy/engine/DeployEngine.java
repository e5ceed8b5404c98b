package io.jenkins.plugins.k8sdeploy.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress.Decision;
import io.jenkins.plugins.k8sdeploy.engine.DeployProgress.Watched;
import io.jenkins.plugins.k8sdeploy.engine.apply.Applier;
import io.jenkins.plugins.k8sdeploy.engine.apply.FieldConflict;
import io.jenkins.plugins.k8sdeploy.engine.apply.ObjectDiff;
import io.jenkins.plugins.k8sdeploy.engine.apply.Planned;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Preparation;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Prepared;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Rollback;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWatches;
import io.jenkins.plugins.k8sdeploy.engine.rollout.Workload;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The one entry point every front end (pipeline step, freestyle builder, command line) calls to deploy: load and check
 * the manifests, validate all of them with a server-side dry run, apply them in dependency order, wait until every
 * workload has really rolled out, and roll back the ones that failed.
 *
 * <p>{@link #deploy} does it all on the caller's thread. A Jenkins step does the same in short units instead:
 * {@link #begin} (load, validate, apply), then {@link DeployProgress#observe} on a timer, {@link #rollBack} when it
 * says so, and {@link #finish}, keeping only the serializable {@link DeployProgress} in between.
 */
public final class DeployEngine {
    /** How often a blocking wait looks at the clock when nothing changes. */
    static final Duration RESYNC = Duration.ofSeconds(2);

    private final Clock clock;

    public DeployEngine() {
        this(Clock.systemUTC());
    }

    public DeployEngine(Clock clock) {
        this.clock = clock;
    }

    /**
     * Deploys the request to the cluster, on this thread.
     *
     * @param log where progress lines go: short, one per step, never a secret
     * @return what happened; a failed rollout is a record with outcome FAILED, not an exception
     * @throws DeployException when the deploy is refused before anything is applied (bad manifests, an invalid
     *     object, no permission), or an apply fails midway; its message says what, and what was applied
     */
    public DeployRecord deploy(DeployRequest request, ManifestFiles files, ClusterConnection connection,
            Consumer<String> log) throws DeployException, IOException, InterruptedException {
        DeployProgress progress = begin(request, files, connection, log);
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            while (progress.waiting()) {
                try (RolloutWatches watches = RolloutWatches.start(cluster, progress.toWatch())) {
                    Decision decision;
                    while ((decision = progress.observe(watches.evaluate(), clock, log)) == Decision.KEEP_WAITING) {
                        Duration left = Duration.between(clock.instant(), progress.deadline());
                        watches.awaitChange(left.compareTo(RESYNC) < 0 ? left : RESYNC);
                    }
                    if (decision == Decision.ROLL_BACK) {
                        rollBack(progress, cluster, log);
                    }
                }
            }
            return finish(progress, cluster, log);
        }
    }

    /**
     * After {@link #begin}: what {@link #deploy} does, but stopping when {@code stop} is asked to, as a stopped
     * Jenkins build does. A stop asked for during {@link #begin} takes effect once it has applied. When the rollout is
     * still being waited for, it is rolled back ({@code rollBackOnStop}; the rollback is issued, not waited for) or
     * left as it is; the record ends FAILED, its failure saying it was stopped and why.
     */
    public DeployRecord complete(DeployProgress progress, ClusterConnection connection, Consumer<String> log,
            StopRequest stop, boolean rollBackOnStop) throws DeployException, InterruptedException {
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            while (progress.waiting() && !stop.requested()) {
                try (RolloutWatches watches = RolloutWatches.start(cluster, progress.toWatch())) {
                    Decision decision;
                    while ((decision = progress.observe(watches.evaluate(), clock, log)) == Decision.KEEP_WAITING
                            && !stop.requested()) {
                        Duration left = Duration.between(clock.instant(), progress.deadline());
                        stop.await(() -> watches.awaitChange(left.compareTo(RESYNC) < 0 ? left : RESYNC));
                    }
                    if (decision == Decision.ROLL_BACK) {
                        rollBack(progress, cluster, log);
                    }
                }
            }
            if (progress.waiting()) {
                stopped(progress, stop.reason(), rollBackOnStop, cluster, log);
            }
            return finish(progress, cluster, log);
        }
    }

    /** Ends a rollout stopped from outside: rolls it back, or leaves it, and says which. */
    private void stopped(DeployProgress p, String reason, boolean rollBack, KubeCluster cluster,
            Consumer<String> log) throws DeployException {
        if (p.phase() == DeployProgress.Phase.ROLLING_BACK) {
            p.stopWaiting(reason, clock, log, "Stopped (" + reason + ") while waiting for the rollback; it carries on"
                    + " in the cluster: " + p.waitingFor() + ".");
        } else if (rollBack) {
            p.log(clock, log, "Stopped (" + reason + ") during the rollout; rolling back.");
            p.abort(reason, clock, log);
            if (p.toRollBack().isEmpty()) {
                p.stopWaiting(reason, clock, log, null);
            } else {
                rollBack(p, cluster, log);
                p.stopWaiting(reason, clock, log, "Rollback issued; not waiting for it to roll out (" + reason
                        + "): " + p.waitingFor() + ".");
            }
        } else {
            p.stopWaiting(reason, clock, log, "Stopped (" + reason + "); left as it is, not rolled back: "
                    + p.waitingFor() + ".");
        }
    }

    /**
     * Loads, validates and applies (or, for a dry run, diffs); returns what to wait for. Short: a few requests per
     * object.
     */
    public DeployProgress begin(DeployRequest request, ManifestFiles files, ClusterConnection connection,
            Consumer<String> log) throws DeployException, IOException, InterruptedException {
        DeployProgress p = new DeployProgress(connection.serverUrl(), clock.instant(), request.timeout(),
                request.rollbackOnFailure());
        List<Manifest> manifests = Preparation.load(request, files);
        p.log(clock, log, Preparation.loaded(manifests));
        try (KubeCluster cluster = KubeCluster.connect(connection)) {
            try {
                p.log(clock, log, Preparation.connected(cluster));
                Prepared prepared = Preparation.prepare(request, manifests, cluster,
                        Preparation.Replicas.LEFT_TO_AUTOSCALERS, line -> p.log(clock, log, line));
                beginWith(p, request, prepared, cluster, log);
            } finally {
                p.countRequests(cluster.requestCount());
            }
        }
        return p;
    }

    /**
     * As {@link #begin(DeployRequest, ManifestFiles, ClusterConnection, Consumer)}, for what another engine prepared
     * on {@code cluster} and decided to deploy as it is (a canary's first deploy): its lines are logged now, it is
     * validated unless it was, and nothing is loaded or planned again. {@code cluster} stays open.
     *
     * @param prepared planned from {@code request} with {@link Preparation.Replicas#LEFT_TO_AUTOSCALERS}, its lines
     *     not logged yet
     */
    public DeployProgress begin(DeployRequest request, Prepared prepared, KubeCluster cluster, Consumer<String> log)
            throws DeployException {
        DeployProgress p = new DeployProgress(cluster.connection().serverUrl(), clock.instant(), request.timeout(),
                request.rollbackOnFailure());
        p.log(clock, log, Preparation.loaded(prepared.manifests()));
        try {
            p.log(clock, log, Preparation.connected(cluster));
            prepared.lines().forEach(line -> p.log(clock, log, line));
            beginWith(p, request, prepared.validate(cluster, line -> p.log(clock, log, line)), cluster, log);
        } finally {
            p.countRequests(cluster.requestCount());
        }
        return p;
    }

    private void beginWith(DeployProgress p, DeployRequest request, Prepared prepared, KubeCluster cluster,
            Consumer<String> log) throws DeployException {
        Map<Planned, List<String>> notes = new HashMap<>();
        prepared.notes().forEach((x, n) -> notes.put(x, new ArrayList<>(n)));
        List<Planned> plan = prepared.plan();
        // A dry run shows what forcing would change and names the conflicts beside it; a deploy refuses them in the
        // preparation's dry run, before anything is applied, unless it forces.
        boolean force = request.forceConflicts();
        Map<Planned, List<FieldConflict>> conflicts = force || request.dryRun()
                ? noteConflicts(prepared.ready(), cluster, force, notes) : Map.of();
        if (request.dryRun()) {
            diff(p, cluster, plan, prepared.dryRun(), notes, log);
            if (!conflicts.isEmpty() && !force) {
                p.log(clock, log, "A deploy would be refused: " + conflicts.size() + " of " + prepared.ready().size()
                        + " objects have fields another field manager owns. " + FieldConflict.HOW_TO_FORCE);
            }
            return;
        }
        for (Applier.Applied a : applyAll(p, plan, cluster, force, notes, log)) {
            Workload w = WorkloadState.workloadOf(a.after(), a.planned().manifest().apiVersion());
            if (w != null) {
                p.applied.add(new Watched(w, a.planned().kind(),
                        a.before() == null ? null : WorkloadState.of(a.before()), null));
            }
        }
        if (p.applied.isEmpty()) {
            p.log(clock, log, "Deployed: no workload to wait for.");
            p.phase = DeployProgress.Phase.SUCCEEDED;
            return;
        }
        p.watched = new ArrayList<>(p.applied);
        p.deadline = clock.instant().plus(request.timeout());
        p.log(clock, log, "Waiting up to " + DeployProgress.format(request.timeout()) + " for " + p.applied.stream()
                .map(w -> w.workload().kind() + "/" + w.workload().name()).collect(Collectors.joining(", "))
                + " to roll out.");
    }

    /** Issues the rollbacks {@link DeployProgress#observe} asked for, then waits for them. Short. */
    public void rollBack(DeployProgress p, KubeCluster cluster, Consumer<String> log) throws DeployException {
        List<Watched> rolledBack = new ArrayList<>();
        for (Watched w : p.toRollBack()) {
            Rollback.Result result = Rollback.rollback(cluster, w.workload().kind(), w.workload().namespace(),
                    w.workload().name(), 0);
            p.log(clock, log, "Rolling back: " + result.describe() + ".");
            p.rollbacks.add(result.describe());
            rolledBack.add(w);
        }
        p.startRollbackWait(rolledBack, clock);
    }

    /** The record of a finished deploy; reads each workload's state after from the cluster. */
    public DeployRecord finish(DeployProgress p, KubeCluster cluster, Consumer<String> log) throws DeployException {
        Map<Workload, WorkloadState> after = new HashMap<>();
        for (Watched w : p.applied) {
            GenericKubernetesResource now = cluster.get(w.kind(), w.workload().namespace(), w.workload().name());
            after.put(w.workload(), now == null ? WorkloadState.NONE : WorkloadState.of(now));
        }
        p.countRequests(cluster.requestCount());
        p.log(clock, log, "API requests: " + p.apiRequests + ".");
        return p.toRecord(clock.instant(), after);
    }

    private List<Applier.Applied> applyAll(DeployProgress p, List<Planned> plan, KubeCluster cluster, boolean force,
            Map<Planned, List<String>> notes, Consumer<String> log) throws DeployException {
        return Applier.applyAll(plan, cluster, force, a -> {
            Planned x = a.planned();
            String action = withNotes(a.action(), notes.get(x));
            p.changes.add(new ObjectChange(x.manifest().kind(), x.manifest().name(), x.namespace(), action, null));
            p.log(clock, log, "Applied " + x.manifest().kind() + "/" + x.manifest().name()
                    + (x.namespace() == null ? "" : " in " + x.namespace()) + ": " + action + ".");
        });
    }

    /** The fields of {@code ready} other managers own, each noted for the diff or the record. */
    private static Map<Planned, List<FieldConflict>> noteConflicts(List<Planned> ready, KubeCluster cluster,
            boolean force, Map<Planned, List<String>> notes) {
        Map<Planned, List<FieldConflict>> conflicts = Applier.conflicts(ready, cluster);
        conflicts.forEach((x, c) -> notes.computeIfAbsent(x, k -> new ArrayList<>()).add(force
                ? "takes over " + FieldConflict.describe(c) + " (forceConflicts)"
                : "conflict: " + FieldConflict.describe(c) + "; a deploy refuses it unless forced"));
        return conflicts;
    }

    /** "configured; replicas left to HorizontalPodAutoscaler/web (4 now; ...)". */
    private static String withNotes(String action, List<String> notes) {
        return notes == null ? action : action + "; " + String.join("; ", notes);
    }

    private void diff(DeployProgress p, KubeCluster cluster, List<Planned> plan,
            Map<Planned, GenericKubernetesResource> dryRun, Map<Planned, List<String>> notes, Consumer<String> log)
            throws DeployException {
        for (Planned x : plan) {
            String name = x.manifest().kind() + "/" + x.manifest().name();
            GenericKubernetesResource wouldBe = dryRun.get(x);
            if (wouldBe == null) {
                p.changes.add(new ObjectChange(x.manifest().kind(), x.manifest().name(), x.namespace(),
                        "would create (validated once its namespace or CRD exists)", ""));
                p.log(clock, log, name + ": would create (its namespace or CRD is created by this deploy).");
                continue;
            }
            GenericKubernetesResource live = cluster.get(x.kind(), x.namespace(), x.manifest().name());
            String diff = ObjectDiff.diff(name, live, wouldBe);
            String action = withNotes(live == null ? "would create" : diff.isEmpty() ? "unchanged" : "would change",
                    notes.get(x));
            p.changes.add(new ObjectChange(x.manifest().kind(), x.manifest().name(), x.namespace(), action, diff));
            p.log(clock, log, name + ": " + action + (diff.isEmpty() ? "." : ":\n" + diff.stripTrailing()));
        }
        p.log(clock, log, "Dry run: nothing was applied.");
        p.phase = DeployProgress.Phase.DRY_RUN;
    }
}
