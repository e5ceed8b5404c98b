package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.RollbackEngine;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Namespaces;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k8spd rollback}: what the k8sRollback step does, from a terminal. */
@Command(name = "rollback", description = "Restore an earlier revision of a workload and wait for it.")
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "KIND/NAME", description = "deployment/web, statefulset/db or daemonset/agent.")
    String target;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the kubeconfig context's, else"
            + " default).")
    String namespace;

    @Option(names = "--to-revision", defaultValue = "0", description = "The revision to restore (default: the one before).")
    long toRevision;

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "10m",
            description = "How long to wait for the rollback to roll out (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        try {
            ClusterConnection connection = cluster.connection();
            DeployRecord record = new RollbackEngine().rollback(connection, target,
                    Namespaces.effective(namespace, connection), toRevision,
                    timeout, System.out::println);
            if (!record.succeeded()) {
                System.err.println("k8spd: " + record.failure());
                return 1;
            }
            return 0;
        } catch (DeployException e) {
            System.err.println("k8spd: " + e.getMessage());
            return 1;
        }
    }
}
