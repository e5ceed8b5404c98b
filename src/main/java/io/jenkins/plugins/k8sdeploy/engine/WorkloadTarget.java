package io.jenkins.plugins.k8sdeploy.engine;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.Locale;
import java.util.Map;

/**
 * A workload named the way kubectl users name it: "deployment/web", "deploy/web", "sts/db", "ds/agent", "job/migrate".
 */
public record WorkloadTarget(String apiVersion, String kind, String name) {
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("deployment", "Deployment"), Map.entry("deployments", "Deployment"),
            Map.entry("deploy", "Deployment"), Map.entry("statefulset", "StatefulSet"),
            Map.entry("statefulsets", "StatefulSet"), Map.entry("sts", "StatefulSet"),
            Map.entry("daemonset", "DaemonSet"), Map.entry("daemonsets", "DaemonSet"), Map.entry("ds", "DaemonSet"),
            Map.entry("job", "Job"), Map.entry("jobs", "Job"));

    public static WorkloadTarget parse(String target) throws DeployException {
        int slash = target == null ? -1 : target.indexOf('/');
        String kind = slash < 0 ? null : KINDS.get(target.substring(0, slash).toLowerCase(Locale.ROOT));
        if (kind == null || slash == target.length() - 1) {
            throw new DeployException("'" + target + "' is not a workload. Expected deployment/NAME, statefulset/NAME,"
                    + " daemonset/NAME or job/NAME.");
        }
        return new WorkloadTarget("Job".equals(kind) ? "batch/v1" : "apps/v1", kind, target.substring(slash + 1));
    }
}
