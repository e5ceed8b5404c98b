package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.WorkloadResult;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The last version each environment got, from the rollout records of a job's recent builds: what the job page shows.
 * An environment is a cluster (server URL), a namespace and an app. Plain Java, tested without Jenkins.
 *
 * <p>A rollout counts when it succeeded and left the new version serving:
 * <ul>
 *   <li>a rolling deploy (and {@code k8sRollback}, whose "new" version is the one it went back to): each workload that
 *       rolled out;
 *   <li>a canary: only when it ended at 100% (promoted; a first deploy goes straight there); a canary left at 20% still
 *       serves the old version from its stable Deployment, and an aborted one never took over;
 *   <li>blue-green: only when it switched (or switched back); a preview serves nobody. Keyed by the app, not by the
 *       colour's Deployment.
 * </ul>
 * Dry runs and failed rollouts never count. The newest build wins; within a build, the rollout that ended last.
 *
 * <pre>{@code
 * LastDeployed.of(List.of(new Build(12, "#12", t12, List.of(promotedCanary)), new Build(11, "#11", t11, ...)))
 * // [Environment[server=https://10.0.0.1:6443, namespace=shop, app=web, images=[.../web:1.5.0], build=12, ...]]
 * }</pre>
 */
public final class LastDeployed {
    private LastDeployed() {}

    /** One build's rollouts, in the order they ended. */
    public record Build(int number, String displayName, long timestampMillis, List<DeployRecord> records) {
        public Build {
            records = records == null ? List.of() : List.copyOf(records);
        }
    }

    /**
     * The version one environment runs, as far as the scanned builds know.
     *
     * @param images the images after the rollout (for several workloads of one name, all of them)
     * @param deployedAt when the rollout ended
     * @param build the number of the build that deployed it
     */
    public record Environment(String server, String namespace, String app, String strategy, List<String> images,
            Instant deployedAt, int build, String buildName) {
        public Environment {
            images = List.copyOf(images);
        }

        /** "registry.example/web:1.5.0, registry.example/sidecar:2". */
        public String getVersion() {
            return String.join(", ", images);
        }

        public String getDeployedAt() {
            return deployedAt == null ? "" : DateTimeFormatter.ISO_INSTANT.format(deployedAt);
        }

        // Jelly reads bean properties.
        public String getServer() {
            return server;
        }

        public String getNamespace() {
            return namespace;
        }

        public String getApp() {
            return app;
        }

        public String getStrategy() {
            return strategy;
        }

        public int getBuild() {
            return build;
        }

        public String getBuildName() {
            return buildName;
        }
    }

    /**
     * The environments {@code newestFirst} deployed to, each with its last version, sorted by server, namespace and
     * app.
     */
    public static List<Environment> of(List<Build> newestFirst) {
        Map<List<String>, Environment> last = new LinkedHashMap<>();
        for (Build b : newestFirst) {
            List<DeployRecord> records = new ArrayList<>(b.records());
            for (int i = records.size() - 1; i >= 0; i--) {
                for (Environment e : deployed(records.get(i), b)) {
                    last.putIfAbsent(List.of(nz(e.server()), nz(e.namespace()), nz(e.app())), e);
                }
            }
        }
        return last.values().stream()
                .sorted(Comparator.comparing((Environment e) -> nz(e.server()))
                        .thenComparing(e -> nz(e.namespace())).thenComparing(e -> nz(e.app())))
                .toList();
    }

    /** The environments {@code r} left a new version serving in; empty when it did not. */
    static List<Environment> deployed(DeployRecord r, Build b) {
        if (r == null || !DeployRecord.Outcome.SUCCEEDED.equals(r.outcome()) || r.workloads() == null) {
            return List.of();
        }
        Instant at = r.finished() != null ? r.finished() : r.started();
        if (r.app() == null || DeployRecord.Strategy.ROLLING.equals(r.strategy())) {
            return r.workloads().stream()
                    .filter(w -> w != null && "DONE".equals(w.status()))
                    .map(w -> new Environment(r.server(), w.namespace(), w.name(), r.strategy().label(), images(w), at,
                            b.number(), b.displayName()))
                    .toList();
        }
        if (!serves(r)) {
            return List.of();
        }
        List<WorkloadResult> mine = r.workloads().stream()
                .filter(w -> w != null && "DONE".equals(w.status())).toList();
        if (mine.isEmpty()) {
            return List.of();
        }
        List<WorkloadResult> named = mine.stream().filter(w -> r.app().equals(w.name())).toList();
        List<WorkloadResult> app = DeployRecord.Strategy.CANARY.equals(r.strategy()) && !named.isEmpty() ? named : mine;
        List<String> images = app.stream().flatMap(w -> images(w).stream()).distinct().toList();
        return List.of(new Environment(r.server(), app.get(0).namespace(), r.app(), r.strategy().label(), images, at,
                b.number(), b.displayName()));
    }

    /** A canary that ended at 100%, or a blue-green rollout that switched: the new version took all the traffic. */
    private static boolean serves(DeployRecord r) {
        if (DeployRecord.Strategy.BLUE_GREEN.equals(r.strategy())) {
            return r.events().stream().filter(Objects::nonNull).anyMatch(e -> StrategyEvent.Type.SWITCH.equals(e.type())
                    || StrategyEvent.Type.SWITCH_BACK.equals(e.type()));
        }
        List<ReportModel.WeightStep> weights = ReportModel.Rollout.from(r).weights();
        return weights.isEmpty() || weights.get(weights.size() - 1).weight() == 100;
    }

    private static List<String> images(WorkloadResult w) {
        return w.imagesAfter() == null ? List.of() : w.imagesAfter();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
