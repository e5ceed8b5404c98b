package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.Kubeconfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k8spd deploy}: what the k8sDeploy step does, from a terminal. */
@Command(name = "deploy", description = "Apply manifests, wait until the cluster is done, roll back on failure.")
final class DeployCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "MANIFEST", description = "Files, directories or globs.")
    List<String> manifests;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig to connect with (default: $KUBECONFIG).")
    Path kubeconfig;

    @Option(names = "--context", description = "Kubeconfig context (default: its current-context).")
    String context;

    @Option(names = {"-n", "--namespace"}, description = "Namespace for manifests that name none.")
    String namespace;

    @Override
    public Integer call() {
        try {
            ClusterConnection cluster = Kubeconfig.connection(readKubeconfig(), context);
            new DeployEngine().deploy(new DeployRequest(manifests, namespace), cluster, System.out);
            return 0;
        } catch (DeployException e) {
            System.err.println("k8spd: " + e.getMessage());
            return 1;
        }
    }

    private String readKubeconfig() throws DeployException {
        Path file = kubeconfig;
        if (file == null) {
            String env = System.getenv("KUBECONFIG");
            if (env == null || env.isBlank()) {
                throw new DeployException("No kubeconfig was given. Expected --kubeconfig FILE or the KUBECONFIG"
                        + " environment variable.");
            }
            file = Path.of(env.split(java.io.File.pathSeparator)[0]);
        }
        try {
            if (Files.size(file) > Kubeconfig.MAX_CHARS) {
                throw new DeployException("The kubeconfig " + file + " is larger than " + Kubeconfig.MAX_CHARS
                        + " bytes.");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DeployException("The kubeconfig " + file + " does not exist.");
        } catch (IOException e) {
            throw new DeployException("Cannot read the kubeconfig " + file + ": " + e.getMessage() + ".");
        }
    }
}
