package io.jenkins.plugins.k8sdeploy.engine.prepare;

import io.jenkins.plugins.k8sdeploy.engine.apply.Applier;
import io.jenkins.plugins.k8sdeploy.engine.apply.AutoscaledReplicas;
import io.jenkins.plugins.k8sdeploy.engine.apply.Planned;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ImageOverrides;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestLoader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The first half of every deploy, written once for the three engines (rolling, canary, blue-green): {@link #load}
 * the manifests and set their images (before any connection), then, on the engine's one client, {@link #prepare}:
 * the namespace ({@link Namespaces#effective}), the plan (kinds by discovery, namespaces, replicas left to
 * autoscalers) and a server-side dry run of everything ({@link Prepared#validate}). An engine that decides between
 * the two steps (a canary looks at its stable Deployment after planning) calls {@link #plan} and validates later; one
 * that hands the deploy on hands the {@link Prepared} on, and nothing is loaded, planned or dry-run twice.
 */
public final class Preparation {
    /** What to prepare: the part of a deploy request that says what to apply where (DeployRequest is one). */
    public interface Request {
        List<String> manifests();

        String inlineYaml();

        Map<String, String> variables();

        Map<String, String> images();

        /** {@code null} for {@link Namespaces#effective}'s choice. */
        String namespace();

        boolean pinNamespace();

        List<String> allowClusterScoped();

        boolean forceConflicts();

        /** A dry run validates forcing conflicts, to show what forcing would change. */
        boolean dryRun();
    }

    /** What happens to the replica count of a workload an autoscaler sizes. */
    public enum Replicas {
        /** Taken out of what is applied (kept at the live count while our own apply owns it): AutoscaledReplicas. */
        LEFT_TO_AUTOSCALERS,
        /** Applied as written (blue-green's colour Deployments are sized by the app's manifest). */
        AS_WRITTEN
    }

    private Preparation() {}

    /** Reads, substitutes and parses the manifests, then sets their images; nothing reaches the cluster. */
    public static List<Manifest> load(Request request, ManifestFiles files)
            throws DeployException, IOException, InterruptedException {
        List<Manifest> manifests = ManifestLoader.load(request.manifests(), request.inlineYaml(),
                request.variables(), files);
        ImageOverrides.apply(manifests, request.images());
        return manifests;
    }

    /** "Loaded 3 objects: Deployment/web, Service/web, ConfigMap/web-config.", the first line of a deploy. */
    public static String loaded(List<Manifest> manifests) {
        return "Loaded " + manifests.size() + " objects: " + manifests.stream().map(Manifest::describe)
                .collect(Collectors.joining(", ")) + ".";
    }

    /** "Connected to https://... (Kubernetes v1.33.1).": asks the server its version. */
    public static String connected(KubeCluster cluster) throws DeployException {
        return "Connected to " + cluster.connection().serverUrl() + " (Kubernetes " + cluster.serverVersion() + ").";
    }

    /** {@link #plan}, then {@link Prepared#validate}: everything checked, nothing applied. */
    public static Prepared prepare(Request request, List<Manifest> manifests, KubeCluster cluster, Replicas replicas,
            Consumer<String> log) throws DeployException {
        return plan(request, manifests, cluster, replicas, log).validate(cluster, log);
    }

    /**
     * Resolves the namespace, each object's kind and namespace (every problem reported at once), and, with
     * {@link Replicas#LEFT_TO_AUTOSCALERS}, leaves the replica counts autoscalers own to them, logging a line for
     * each.
     *
     * @param log where this step's lines go as they are said; they are kept in {@link Prepared#lines} too
     */
    public static Prepared plan(Request request, List<Manifest> manifests, KubeCluster cluster, Replicas replicas,
            Consumer<String> log) throws DeployException {
        String namespace = Namespaces.effective(request.namespace(), cluster.connection());
        List<Planned> planned = Applier.plan(manifests, cluster, namespace, request.pinNamespace(),
                request.allowClusterScoped());
        List<Planned> plan = planned;
        Map<Planned, List<String>> notes = new HashMap<>();
        List<String> lines = new ArrayList<>();
        if (replicas == Replicas.LEFT_TO_AUTOSCALERS) {
            AutoscaledReplicas.Result scaled = AutoscaledReplicas.leaveToAutoscalers(planned, cluster);
            plan = scaled.plan();
            scaled.notes().forEach((x, note) -> {
                notes.put(x, List.of(note));
                String line = x.manifest().kind() + "/" + x.manifest().name() + ": " + note + ".";
                lines.add(line);
                log.accept(line);
            });
        }
        return new Prepared(manifests, namespace, plan, Prepared.byManifest(planned, plan), notes,
                request.forceConflicts() || request.dryRun(), null, lines);
    }
}
