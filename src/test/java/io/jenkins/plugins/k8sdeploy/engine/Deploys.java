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

    /**
     * Creates a namespaced CRD of kind {@code kind} (plural {@code kind.toLowerCase() + "s"}) with a status
     * subresource and any fields, in a group of the test's own, and waits until it is established.
     *
     * @return the group, for the custom resources' apiVersion ({@code group + "/v1"})
     */
    static String establishCrd(TestCluster cluster, String kind) {
        String group = kind.toLowerCase(java.util.Locale.ROOT).charAt(0) + cluster.namespace().replace("-", "")
                + ".example.com";
        String plural = kind.toLowerCase(java.util.Locale.ROOT) + "s";
        cluster.admin().resource(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: %2$s.%1$s}
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {kind: %3$s, plural: %2$s, singular: %4$s}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources: {status: {}}
                    schema:
                      openAPIV3Schema:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                """.formatted(group, plural, kind, kind.toLowerCase(java.util.Locale.ROOT)),
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class)).create();
        cluster.admin().apiextensions().v1().customResourceDefinitions().withName(plural + "." + group)
                .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType())),
                        30, java.util.concurrent.TimeUnit.SECONDS);
        return group;
    }

    /** Deletes the CRD {@link #establishCrd} made. */
    static void deleteCrd(TestCluster cluster, String kind, String group) {
        cluster.admin().apiextensions().v1().customResourceDefinitions()
                .withName(kind.toLowerCase(java.util.Locale.ROOT) + "s." + group).delete();
    }
}
