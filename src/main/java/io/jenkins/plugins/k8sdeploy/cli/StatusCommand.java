package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.StatusEngine;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Namespaces;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k8spd status}: kubectl rollout status, with pods that cannot start reported at once. */
@Command(name = "status", description = "Wait until a workload has rolled out (or say how it stands, with --no-wait).")
final class StatusCommand implements Callable<Integer> {
    /** Exit code for a rollout still in progress when not waiting, or at the timeout. */
    static final int PROGRESSING = 3;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "KIND/NAME", description = "deployment/web, statefulset/db, daemonset/agent or job/NAME.")
    String target;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the kubeconfig context's, else"
            + " default).")
    String namespace;

    @Option(names = "--no-wait", description = "Answer at once instead of waiting for the rollout to finish.")
    boolean noWait;

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "10m",
            description = "How long to wait (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        try {
            ClusterConnection connection = cluster.connection();
            RolloutStatus s = new StatusEngine().status(connection, target,
                    Namespaces.effective(namespace, connection), !noWait, timeout, System.out::println);
            return s.isDone() ? 0 : s.isFailed() ? 1 : PROGRESSING;
        } catch (DeployException e) {
            System.err.println("k8spd: " + e.getMessage());
            return 1;
        }
    }
}
