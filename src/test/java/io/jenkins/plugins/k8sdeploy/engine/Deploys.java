package io.jenkins.plugins.k8sdeploy.engine;

import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Test helper: manifests written to a folder, deployed with the engine into the test's namespace, log kept. */
final class Deploys {
    final TestCluster cluster;
    final Path dir;
    final List<String> log = new ArrayList<>();

    Deploys(TestCluster cluster, Path dir) {
        this.cluster = cluster;
        this.dir = dir;
    }

    Deploys write(String file, String yaml) {
        try {
            Path p = dir.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, yaml, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DeployRecord deploy(DeployRequest.Builder request) throws Exception {
        return deploy(request, cluster.adminConnection());
    }

    DeployRecord deploy(DeployRequest.Builder request, io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection as)
            throws Exception {
        Consumer<String> sink = line -> {
            synchronized (log) {
                log.add(line);
            }
            System.out.println("[deploy] " + line);
        };
        return new DeployEngine().deploy(request.namespace(cluster.namespace()).build(), new LocalManifestFiles(dir),
                as, sink);
    }

    String logText() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    static String deployment(String name, String image, int replicas, String extraPodLabels, String extraSpec) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                spec:
                  replicas: %3$d
                  %5$s
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: {app: %1$s%4$s}
                    spec:
                      containers:
                      - name: %1$s
                        image: %2$s
                """.formatted(name, image, replicas, extraPodLabels.isEmpty() ? "" : ", " + extraPodLabels,
                extraSpec);
    }
}
