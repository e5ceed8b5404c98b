package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.Kubeconfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How every command finds its cluster: a kubeconfig file and an optional context. */
final class ClusterOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig to connect with (default: $KUBECONFIG).")
    Path kubeconfig;

    @Option(names = "--context", description = "Kubeconfig context (default: its current-context).")
    String context;

    ClusterConnection connection() throws DeployException {
        return Kubeconfig.connection(read(), context);
    }

    private String read() throws DeployException {
        Path file = kubeconfig;
        if (file == null) {
            String env = System.getenv("KUBECONFIG");
            if (env == null || env.isBlank()) {
                throw new DeployException("No kubeconfig was given. Expected --kubeconfig FILE or the KUBECONFIG"
                        + " environment variable.");
            }
            file = Path.of(env.split(File.pathSeparator)[0]);
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
