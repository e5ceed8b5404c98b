package io.jenkins.plugins.k8sdeploy.engine.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prepare step every engine runs: plan, then one dry run, however often an engine asks for it. */
@RequiresCluster
class PreparationTest {
    @TempDir
    Path dir;

    static final String CONFIG = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-config}
            data: {greeting: hello}
            """;

    @Test
    void aPreparationIsDryRunOnceHoweverOftenItIsValidated(TestCluster c) throws Exception {
        DeployRequest request = DeployRequest.builder().inlineYaml(CONFIG).namespace(c.namespace()).build();
        List<Manifest> manifests = Preparation.load(request, new LocalManifestFiles(dir));
        List<String> log = new ArrayList<>();
        try (KubeCluster cluster = KubeCluster.connect(c.adminConnection())) {
            Prepared planned = Preparation.plan(request, manifests, cluster,
                    Preparation.Replicas.LEFT_TO_AUTOSCALERS, log::add);
            assertFalse(planned.validated(), "planned, not dry-run yet");

            Prepared validated = planned.validate(cluster, log::add);
            long requests = cluster.requestCount();

            assertSame(validated, validated.validate(cluster, log::add), "validated already");
            assertEquals(requests, cluster.requestCount(), "no second dry run");
            assertEquals(List.of("Validated 1 objects with a server-side dry run."), log);
            assertEquals(log, validated.lines(), "kept for a deploy that takes the preparation over");
            assertEquals(c.namespace(), validated.planned(manifests.get(0)).namespace());
            assertNotNull(validated.dryRun().get(validated.planned(manifests.get(0))), "the server's answer");
        }
    }

    @Test
    void withoutANamespaceAskedForObjectsGoToTheConnectionsNamespace(TestCluster c) throws Exception {
        DeployRequest request = DeployRequest.builder().inlineYaml(CONFIG).build();
        List<Manifest> manifests = Preparation.load(request, new LocalManifestFiles(dir));
        try (KubeCluster cluster = KubeCluster.connect(c.adminConnection().withDefaultNamespace(c.namespace()))) {
            Prepared prepared = Preparation.prepare(request, manifests, cluster, Preparation.Replicas.AS_WRITTEN,
                    line -> {});

            assertEquals(c.namespace(), prepared.namespace());
            assertEquals(c.namespace(), prepared.planned(manifests.get(0)).namespace());
        }
    }
}
