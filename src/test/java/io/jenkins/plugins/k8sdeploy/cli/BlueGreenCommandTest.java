package io.jenkins.plugins.k8sdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** k8spd bluegreen: deploy, status, switch (waiting for the scale-down), refusals and rollback, with exit codes. */
@RequiresCluster
class BlueGreenCommandTest {
    @RegisterExtension
    final Console console = new Console();
    private final ByteArrayOutputStream out = console.out;
    private final ByteArrayOutputStream err = console.err;

    @TempDir
    Path dir;

    static String app(String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: "%s"}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                """.formatted(image);
    }

    /** k8spd bluegreen SUBCOMMAND --kubeconfig=... --namespace=... ARGS... */
    int k8spd(TestCluster cluster, String subcommand, String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of("bluegreen", subcommand,
                "--kubeconfig=" + cluster.bed().adminKubeconfig(), "--namespace=" + cluster.namespace()));
        all.addAll(List.of(args));
        int exit = Main.run(all.toArray(String[]::new));
        console.stdout.println("[k8spd bluegreen " + subcommand + "] exit " + exit + "\n" + out() + err());
        return exit;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    int replicas(TestCluster cluster, String deployment) {
        return cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName(deployment).get()
                .getSpec().getReplicas();
    }

    @Test
    void deployPreviewStatusSwitchWithScaleDownAndRollbackFromTheCommandLine(TestCluster cluster) throws Exception {
        Files.writeString(dir.resolve("v1.yaml"), app("registry.example/web:1"));
        Files.writeString(dir.resolve("v2.yaml"), app("registry.example/web:2"));
        Path record = dir.resolve("switch.json");

        assertEquals(0, k8spd(cluster, "deploy", dir.resolve("v1.yaml").toString()), err());
        assertTrue(out().contains("Service web points at blue"), out());

        assertEquals(0, k8spd(cluster, "deploy", dir.resolve("v2.yaml").toString()), err());
        assertTrue(out().contains("Preview ready: Service web-preview selects green"), out());

        assertEquals(0, k8spd(cluster, "status", "web"), err());
        assertTrue(out().startsWith("web in " + cluster.namespace() + ": blue active (Service web), green previewed"
                + " (Service web-preview).\n"), out());
        assertTrue(out().contains("  green: Deployment/web-green, preview, 2 of 2 available"), out());
        assertTrue(out().contains("registry.example/web:2, never served."), out());

        assertEquals(0, k8spd(cluster, "switch", "--scale-down-delay=1s", "--record=" + record, "web"), err());
        assertTrue(out().contains("Switched Service web from blue to green: one selector change"), out());
        assertTrue(out().contains("Scaled blue (Deployment/web-blue) from 2 to 0 replicas"),
                "switch waits for the scale-down by default: " + out());
        assertEquals(0, replicas(cluster, "web-blue"));
        String json = Files.readString(record);
        assertTrue(json.contains("\"strategy\" : \"blueGreen\"") && json.contains("\"type\" : \"SWITCH\"")
                && json.contains("\"type\" : \"SCALE_DOWN\"") && json.contains("\"outcome\" : \"SUCCEEDED\""), json);

        assertEquals(1, k8spd(cluster, "switch", "web"));
        assertTrue(err().startsWith("k8spd: Nothing new to switch to: blue"), err());

        assertEquals(0, k8spd(cluster, "switch", "--rollback", "--no-wait", "web"), err());
        assertTrue(out().contains("Switching back is not instant"), out());
        assertEquals(2, replicas(cluster, "web-blue"));

        assertEquals(1, k8spd(cluster, "status", "nope"));
        assertTrue(err().startsWith("k8spd: nope is not a blue-green app in namespace " + cluster.namespace()), err());
        assertEquals(2, Main.run("bluegreen", "switch", "--kubeconfig=" + cluster.bed().adminKubeconfig()));
    }
    @Test
    void autoSwitchWithAnAnalysisThatFailsSwitchesBackFromTheCommandLine(TestCluster cluster) throws Exception {
        try (var metrics = new io.jenkins.plugins.k8sdeploy.testbed.MetricsServer().set("web", 0.05, 0.1)
                        .set("web-preview", 0.01, 0.1);
                var prometheus = io.jenkins.plugins.k8sdeploy.testbed.PrometheusFixture.start(metrics.target())) {
            Files.writeString(dir.resolve("v1.yaml"), app("registry.example/web:1"));
            Files.writeString(dir.resolve("v2.yaml"), app("registry.example/web:2"));
            Path analysis = dir.resolve("analysis.yaml");
            Files.writeString(analysis, """
                    providers:
                      prom: {type: prometheus, address: "%s", timeout: 2s}
                    analyses:
                      errors:
                        metrics:
                        - name: error-ratio
                          provider: prom
                          query: scalar(app_error_ratio{track="${canaryService}"}) / scalar(app_error_ratio{track="${stableService}"})
                          successCondition: result < 2
                          failureCondition: result >= 3
                          interval: 1s
                          count: 3
                          initialDelay: 3s
                    """.formatted(prometheus.url()));
            Path record = dir.resolve("deploy.json");
            assertEquals(0, k8spd(cluster, "deploy", dir.resolve("v1.yaml").toString()), err());

            assertEquals(1, k8spd(cluster, "deploy", "--auto-switch", "--analysis-name=errors",
                    dir.resolve("v2.yaml").toString()));
            assertTrue(err().startsWith("k8spd: --analysis FILE and --analysis-name NAME go together"), err());
            assertEquals(1, k8spd(cluster, "deploy", "--auto-switch", "--analysis=" + analysis,
                    "--analysis-name=nope", dir.resolve("v2.yaml").toString()));
            assertTrue(err().contains("no analysis of that name is configured (configured: errors)"), err());

            assertEquals(1, k8spd(cluster, "deploy", "--auto-switch", "--analysis=" + analysis,
                    "--analysis-name=errors", "--record=" + record, dir.resolve("v2.yaml").toString()), out());
            assertTrue(out().contains("Switched Service web from blue to green"), out());
            assertTrue(out().contains("Analysis 'errors' failed"), out());
            assertTrue(out().contains("Switched Service web back from green to blue"), out());
            assertTrue(err().startsWith("k8spd: Analysis 'errors' of green did not pass"), err());
            assertEquals("blue", cluster.admin().services().inNamespace(cluster.namespace()).withName("web").get()
                    .getSpec().getSelector().get("k8s-progressive-delivery.jenkins.io/colour"));
            assertEquals(2, replicas(cluster, "web-blue"), "blue kept its pods");
            String json = Files.readString(record);
            assertTrue(json.contains("\"type\" : \"SWITCH_BACK\"") && json.contains("\"outcome\" : \"FAILED\"")
                    && json.contains("error-ratio"), json);
        }
    }
}
