package io.jenkins.plugins.k8sdeploy.engine.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeClients;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ApplyOrder;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * All or nothing, as far as the API allows: every object is first validated by a server-side dry run (validation,
 * defaulting, admission, RBAC), and only when all pass is any applied, in dependency order, by server-side apply with
 * our field manager.
 *
 * <p>Like kubectl, it does not take fields another field manager owns (an autoscaler's or an operator's replicas, a
 * label a script set) unless asked to force: the dry run reports each such field with its manager, and the deploy is
 * refused before anything is applied.
 *
 * <p>Objects whose kind comes from a CRD in the same deploy, or that go into a namespace the same deploy creates,
 * cannot be dry-run before those exist. They are validated right after the namespaces and CRDs are applied and before
 * anything else is; if one is invalid, only those prerequisites were applied, and the message says so.
 */
public final class Applier {
    static final long CRD_ESTABLISHED_TIMEOUT_SECONDS = 60;

    private Applier() {}

    /**
     * Resolves kinds and namespaces. Every problem found is reported at once, in one message.
     *
     * @param defaultNamespace for namespaced objects that name none
     * @param pinned when true, a manifest naming another namespace than {@code defaultNamespace} is an error, and so
     *     is a cluster-scoped object (a ClusterRoleBinding, a Namespace) whose kind {@code allowedClusterScoped} does
     *     not list: a deploy pinned to one namespace must not reach beyond it
     * @param allowedClusterScoped kinds a pinned deploy may apply although they are cluster-scoped
     */
    public static List<Planned> plan(List<Manifest> manifests, KubeCluster cluster, String defaultNamespace,
            boolean pinned, Collection<String> allowedClusterScoped) throws DeployException {
        if (!pinned && !allowedClusterScoped.isEmpty()) {
            throw new DeployException("Cluster-scoped kinds were allowed (" + String.join(", ", allowedClusterScoped)
                    + ") but the deploy is not pinned to a namespace, and only a pinned deploy refuses them. Expected"
                    + " the allowed kinds together with pinNamespace (--pin-namespace on the command line).");
        }
        Set<String> newNamespaces = new HashSet<>();
        Map<String, ResourceKind> crdKinds = new HashMap<>();
        for (Manifest m : manifests) {
            if ("Namespace".equals(m.kind()) && "v1".equals(m.apiVersion())) {
                newNamespaces.add(m.name());
            }
            if (ApplyOrder.isCustomResourceDefinition(m)) {
                crdKinds.putAll(CrdKinds.of(m));
            }
        }
        Map<String, Boolean> namespaceExists = new HashMap<>();
        List<String> problems = new ArrayList<>();
        List<Planned> planned = new ArrayList<>();
        for (Manifest m : ApplyOrder.sort(manifests)) {
            ResourceKind kind = cluster.kind(m.apiVersion(), m.kind());
            boolean deferred = false;
            if (kind == null) {
                kind = crdKinds.get(m.apiVersion() + "|" + m.kind());
                deferred = true;
                if (kind == null) {
                    problems.add(m.kind() + "/" + m.name() + " (" + m.origin() + "): the cluster has no kind " + m.kind()
                            + " in " + m.apiVersion() + ", and no CustomResourceDefinition in these manifests"
                            + " defines it.");
                    continue;
                }
            }
            String namespace = null;
            if (kind.namespaced()) {
                namespace = m.namespace() != null ? m.namespace() : defaultNamespace;
                if (pinned && m.namespace() != null && !m.namespace().equals(defaultNamespace)) {
                    problems.add(m.kind() + "/" + m.name() + " (" + m.origin() + ") names namespace '"
                            + m.namespace() + "' but this deploy is pinned to '" + defaultNamespace + "'.");
                    continue;
                }
                if (newNamespaces.contains(namespace)
                        && !namespaceExists.computeIfAbsent(namespace, ns -> exists(cluster, ns))) {
                    deferred = true;
                }
            } else if (pinned && !allowedClusterScoped.contains(m.kind())) {
                problems.add(m.kind() + "/" + m.name() + " (" + m.origin() + ") is cluster-scoped, but this deploy is"
                        + " pinned to namespace '" + defaultNamespace + "'. A pinned deploy applies only objects in"
                        + " that namespace unless the kind is allowed explicitly (allowClusterScoped in Jenkins,"
                        + " --allow-cluster-scoped on the command line).");
                continue;
            }
            planned.add(new Planned(m, kind, namespace, deferred));
        }
        if (!problems.isEmpty()) {
            throw new DeployException(problems.size() == 1 ? problems.get(0) + " Nothing was applied."
                    : problems.size() + " problems, so nothing was applied:\n- " + String.join("\n- ", problems));
        }
        return planned;
    }

    /** Whether a namespace exists; one the credentials may not read counts as not existing yet. */
    private static boolean exists(KubeCluster cluster, String namespace) {
        try {
            return cluster.client().namespaces().withName(namespace).get() != null;
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /**
     * Dry-runs every object that can be validated now (all but deferred ones).
     *
     * @param force take over fields other managers own; without it, such a field fails the dry run
     * @return the server's answer per object, what would be stored
     */
    public static Map<Planned, GenericKubernetesResource> validate(List<Planned> items, KubeCluster cluster,
            String whatWasApplied, boolean force) throws DeployException {
        Map<Planned, GenericKubernetesResource> results = new HashMap<>();
        List<String> problems = new ArrayList<>();
        boolean conflicts = false;
        for (Planned p : items) {
            try {
                results.put(p, serverSideApply(p, cluster, true, force));
            } catch (KubernetesClientException e) {
                problems.add(explainRefusal(p, e, cluster));
                conflicts |= !FieldConflict.of(e).isEmpty();
            }
        }
        if (!problems.isEmpty()) {
            String applied = whatWasApplied == null ? "nothing was applied" : "only " + whatWasApplied + " were applied";
            throw new DeployException((problems.size() == 1
                    ? problems.get(0) + " Validated by a server-side dry run; " + applied + "."
                    : problems.size() + " of " + items.size() + " objects failed the server-side dry run, so "
                            + applied + ":\n- " + String.join("\n- ", problems))
                    + (conflicts ? (problems.size() == 1 ? " " : "\n") + FieldConflict.HOW_TO_FORCE : ""));
        }
        return results;
    }

    /**
     * The fields of each object that other field managers own, found by server-side dry runs that do not force. Other
     * refusals are left to {@link #validate}.
     *
     * @return only the objects that have such fields, in plan order
     */
    public static Map<Planned, List<FieldConflict>> conflicts(List<Planned> items, KubeCluster cluster) {
        Map<Planned, List<FieldConflict>> conflicts = new LinkedHashMap<>();
        for (Planned p : items) {
            try {
                serverSideApply(p, cluster, true, false);
            } catch (KubernetesClientException e) {
                List<FieldConflict> found = FieldConflict.of(e);
                if (!found.isEmpty()) {
                    conflicts.put(p, found);
                }
            }
        }
        return conflicts;
    }

    /**
     * Applies one object for real.
     *
     * @param force take over fields other managers own; without it, such a field refuses the apply
     */
    public static Applied apply(Planned p, KubeCluster cluster, boolean force) throws DeployException {
        GenericKubernetesResource before = cluster.get(p.kind(), p.namespace(), p.manifest().name());
        GenericKubernetesResource after;
        try {
            after = serverSideApply(p, cluster, false, force);
        } catch (KubernetesClientException e) {
            throw new DeployException(explainRefusal(p, e, cluster)
                    + (FieldConflict.of(e).isEmpty() ? "" : " " + FieldConflict.HOW_TO_FORCE));
        }
        String action;
        if (before == null) {
            action = "created";
        } else if (Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
            action = "unchanged";
        } else {
            action = "configured";
        }
        return new Applied(p, before, after, action);
    }

    /**
     * One server-side apply. Fields only our own earlier updates own (a canary's replica counts, a rollback's template)
     * are taken without asking: they are ours already.
     */
    private static GenericKubernetesResource serverSideApply(Planned p, KubeCluster cluster, boolean dryRun,
            boolean force) {
        try {
            return cluster.apply(p.manifest(), p.kind(), p.namespace(), dryRun, force);
        } catch (KubernetesClientException e) {
            if (force || FieldConflict.all(e).isEmpty() || !FieldConflict.of(e).isEmpty()) {
                throw e;
            }
            return cluster.apply(p.manifest(), p.kind(), p.namespace(), dryRun, true);
        }
    }

    /** What to do with each object as soon as it is applied (record it, log it). */
    @FunctionalInterface
    public interface OnApplied {
        void applied(Applied applied) throws DeployException;
    }

    /**
     * Applies a validated plan in its order. When some objects wait for a namespace or CRD of the same plan, those
     * prerequisites go first, their CRDs are waited for until Established, and the waiting objects are validated
     * before anything else is applied. A failure midway says what was applied before it.
     *
     * @param force take over fields other managers own
     * @return what was applied, in order
     */
    public static List<Applied> applyAll(List<Planned> plan, KubeCluster cluster, boolean force, OnApplied onApplied)
            throws DeployException {
        List<Applied> applied = new ArrayList<>();
        List<Planned> deferred = plan.stream().filter(Planned::deferred).toList();
        List<Planned> rest = new ArrayList<>(plan);
        if (!deferred.isEmpty()) {
            List<Planned> prerequisites = plan.stream().filter(Planned::isPrerequisite).toList();
            for (Planned x : prerequisites) {
                applied.add(applyOne(x, cluster, force, onApplied));
            }
            awaitEstablished(prerequisites, cluster);
            List<Planned> revalidated = new ArrayList<>();
            for (Planned x : deferred) {
                ResourceKind kind = cluster.kind(x.manifest().apiVersion(), x.manifest().kind());
                revalidated.add(new Planned(x.manifest(), kind != null ? kind : x.kind(), x.namespace(), false));
            }
            validate(revalidated, cluster, names(prerequisites), force);
            rest.removeAll(prerequisites);
            rest.replaceAll(x -> x.deferred() ? revalidated.get(deferred.indexOf(x)) : x);
        }
        for (Planned x : rest) {
            try {
                applied.add(applyOne(x, cluster, force, onApplied));
            } catch (DeployException e) {
                throw new DeployException(e.getMessage() + (applied.isEmpty() ? " Nothing was applied."
                        : " Applied before this: " + names(applied.stream().map(Applied::planned).toList()) + "."));
            }
        }
        return applied;
    }

    private static Applied applyOne(Planned x, KubeCluster cluster, boolean force, OnApplied onApplied)
            throws DeployException {
        Applied a = apply(x, cluster, force);
        onApplied.applied(a);
        return a;
    }

    /** "Namespace/shop, CustomResourceDefinition/widgets.example.com". */
    public static String names(List<Planned> planned) {
        return planned.stream().map(x -> x.manifest().kind() + "/" + x.manifest().name())
                .collect(Collectors.joining(", "));
    }

    /** Waits until the CRDs among {@code applied} are Established, so their custom resources can be used. */
    public static void awaitEstablished(List<Planned> applied, KubeCluster cluster) throws DeployException {
        for (Planned p : applied) {
            if (!ApplyOrder.isCustomResourceDefinition(p.manifest())) {
                continue;
            }
            try {
                cluster.client().apiextensions().v1().customResourceDefinitions().withName(p.manifest().name())
                        .waitUntilCondition(crd -> crd != null && crd.getStatus() != null
                                && crd.getStatus().getConditions() != null
                                && crd.getStatus().getConditions().stream().anyMatch(c ->
                                        "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                                CRD_ESTABLISHED_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (KubernetesClientException e) {
                throw new DeployException("CustomResourceDefinition/" + p.manifest().name() + " was applied but did"
                        + " not become Established within " + CRD_ESTABLISHED_TIMEOUT_SECONDS + " s: "
                        + e.getMessage());
            }
        }
        cluster.forgetDiscovery();
    }

    /** One line naming the object, where it came from, and what the server objected to, field by field. */
    static String explainRefusal(Planned p, KubernetesClientException e, KubeCluster cluster) {
        var status = e.getStatus();
        if (e.getCode() == 403) {
            return p.describe() + " is forbidden: " + (status != null ? status.getMessage() : e.getMessage()) + "."
                    + " Expected the credentials' user to have an RBAC role allowing it.";
        }
        List<FieldConflict> conflicts = FieldConflict.of(e);
        if (!conflicts.isEmpty()) {
            return p.describe() + " has fields another field manager owns: " + FieldConflict.describe(conflicts)
                    + ".";
        }
        if (e.getCode() == 422 && status != null && status.getDetails() != null
                && status.getDetails().getCauses() != null && !status.getDetails().getCauses().isEmpty()) {
            String causes = status.getDetails().getCauses().stream()
                    .map(Applier::cause)
                    .collect(Collectors.joining("; "));
            return p.describe() + " is invalid: " + causes + ".";
        }
        if (e.getCode() > 0 && status != null && status.getMessage() != null) {
            return p.describe() + " was refused (" + e.getCode() + " " + status.getReason() + "): "
                    + status.getMessage() + ".";
        }
        DeployException d = KubeClients.explain(e, cluster.connection(), "apply " + p.describe());
        return d.getMessage();
    }

    private static String cause(StatusCause c) {
        return c.getField() == null || c.getMessage().startsWith(c.getField())
                ? c.getMessage()
                : c.getField() + ": " + c.getMessage();
    }

    /** The outcome of applying one object. */
    public record Applied(Planned planned, GenericKubernetesResource before, GenericKubernetesResource after,
            String action) {}
}
