package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.Kubeconfig;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeconfigPolicy;
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
        Path file = file();
        return connection(file, context);
    }

    /**
     * The connection a kubeconfig file describes, read as kubectl reads it (commands and files it names included); a
     * warning line on standard error for what is accepted but unsafe.
     */
    static ClusterConnection connection(Path file, String context) throws DeployException {
        return Kubeconfig.connection(read(file), context,
                KubeconfigPolicy.commandLine(file, line -> System.err.println("k8spd: warning: " + line)));
    }

    private Path file() throws DeployException {
        if (kubeconfig != null) {
            return kubeconfig;
        }
        String env = System.getenv("KUBECONFIG");
        if (env == null || env.isBlank()) {
            throw new DeployException("No kubeconfig was given. Expected --kubeconfig FILE or the KUBECONFIG"
                    + " environment variable.");
        }
        return Path.of(env.split(File.pathSeparator)[0]);
    }

    private static String read(Path file) throws DeployException {
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
