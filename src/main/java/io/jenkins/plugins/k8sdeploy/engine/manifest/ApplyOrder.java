package io.jenkins.plugins.k8sdeploy.engine.manifest;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order objects are applied in: what others depend on first. Namespaces, then CRDs (whose custom resources need
 * them established), service accounts and RBAC, config maps and secrets, storage, services, workloads, and everything
 * else (custom resources included) last. Within a rank the order of the files is kept.
 */
public final class ApplyOrder {
    private static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("Namespace", 0),
            Map.entry("CustomResourceDefinition", 1),
            Map.entry("PriorityClass", 2),
            Map.entry("ServiceAccount", 3),
            Map.entry("ClusterRole", 4),
            Map.entry("Role", 4),
            Map.entry("ClusterRoleBinding", 5),
            Map.entry("RoleBinding", 5),
            Map.entry("ConfigMap", 6),
            Map.entry("Secret", 6),
            Map.entry("LimitRange", 6),
            Map.entry("ResourceQuota", 6),
            Map.entry("StorageClass", 7),
            Map.entry("PersistentVolume", 7),
            Map.entry("PersistentVolumeClaim", 8),
            Map.entry("Service", 9),
            Map.entry("Deployment", 10),
            Map.entry("StatefulSet", 10),
            Map.entry("DaemonSet", 10),
            Map.entry("ReplicaSet", 10),
            Map.entry("Pod", 10),
            Map.entry("Job", 10),
            Map.entry("CronJob", 10));
    private static final int OTHER = 11;

    private ApplyOrder() {}

    /** A stable sort by rank: returns a new list. */
    public static List<Manifest> sort(List<Manifest> manifests) {
        return manifests.stream().sorted(Comparator.comparingInt(ApplyOrder::rank)).toList();
    }

    static int rank(Manifest m) {
        return RANK.getOrDefault(m.kind(), OTHER);
    }

    /** Custom resources are applied only after their CRDs are established. */
    public static boolean isCustomResourceDefinition(Manifest m) {
        return "CustomResourceDefinition".equals(m.kind()) && "apiextensions.k8s.io".equals(m.group());
    }
}
