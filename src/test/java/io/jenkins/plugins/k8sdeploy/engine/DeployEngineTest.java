package io.jenkins.plugins.k8sdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

@RequiresCluster
class DeployEngineTest {

    @Test
    void connectsThenSaysApplyingIsNotSupportedYetAndChangesNothing(TestCluster cluster) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
        DeployRequest request = new DeployRequest(List.of("k8s/*.yaml"), cluster.namespace());

        DeployException e = assertThrows(DeployException.class,
                () -> new DeployEngine().deploy(request, cluster.adminConnection(), log));

        assertEquals("Connected to " + cluster.adminConnection().serverUrl() + " (Kubernetes v1.33.13).\n",
                out.toString(StandardCharsets.UTF_8));
        assertTrue(e.getMessage().startsWith("k8sDeploy cannot apply manifests yet"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Nothing was changed in the cluster."), e.getMessage());
        assertEquals(0, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).list().getItems().size());
    }

    @Test
    void noManifestsIsAUserErrorBeforeAnyConnection() {
        DeployException e = assertThrows(DeployException.class, () -> new DeployEngine()
                .deploy(new DeployRequest(List.of(), null), null, System.out));

        assertEquals("k8sDeploy needs at least one manifest: a file, a directory or a glob such as 'k8s/*.yaml'."
                + " None was given.", e.getMessage());
    }
}
