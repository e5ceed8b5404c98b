package io.jenkins.plugins.k8sdeploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.cli.Main;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports;
import io.jenkins.plugins.k8sdeploy.testbed.PrometheusFixture;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k8spd demo --yes} against the test bed, as a user runs it (with a short pause), in a namespace of its own:
 * v2 promoted after its analysis passed and the approval was given, v3 aborted by its analysis back to v2 with the
 * deciding measurement in its record, and the report written. Then a second run in the same namespace, which must
 * start over cleanly (idempotence). About a minute and a half.
 */
@RequiresCluster
class DemoEndToEndTest {

    @Test
    void demoPromotesV2AbortsV3AndWritesTheReport(TestCluster cluster, @TempDir Path state) throws Exception {
        String ns = cluster.namespace() + "-demo";
        Path examples = repositoryRoot().resolve("examples/demo");
        try {
            Run first = demo(cluster, ns, examples, state);
            assertEquals(0, first.exit, first.out);
            for (String line : List.of("== 1/6 namespace", "== 6/6 report", "Analysis 'errors' passed",
                    "--yes: approving in 1.0 s, as this command would: ", "canary promote web -n " + ns
                            + " --kubeconfig " + cluster.bed().adminKubeconfig().toAbsolutePath(),
                    "Promoted: Deployment/web runs web=registry.example/demo/web:2.0.0 on all pods",
                    "Analysis 'errors' failed: metric 'canary-error-rate' failed 2 times",
                    "Aborted: all traffic back to stable", "The analysis caught the fault: canary-error-rate measured",
                    "Back on v2: Deployment/web runs registry.example/demo/web:2.0.0 on 10 of 10 pods",
                    "v1 answers the users' requests through Traefik.", "Requests while the v2 canary ran: ",
                    "Requests while the v3 canary ran: ", "Phase timings:", "  v2 canary ", "  total ")) {
                assertTrue(first.out.contains(line), "the output lacks '" + line + "':\n" + first.out);
            }

            Path dir = onlyReportDir(state);
            DeployRecord v2 = RecordJson.fromJson(Files.readString(dir.resolve("v2-canary.json")));
            DeployRecord v3 = RecordJson.fromJson(Files.readString(dir.resolve("v3-canary.json")));
            // v2: analysis passed, approval given, promoted
            assertEquals(DeployRecord.Outcome.SUCCEEDED, v2.outcome());
            assertEquals(List.of("START", "WEIGHT", "PAUSE", "RESUME", "ANALYSIS", "ANALYSIS", "WEIGHT",
                    "APPROVAL_WAIT", "APPROVED", "PROMOTE", "PROMOTED"), v2.events().stream()
                            .map(e -> e.type().name()).toList());
            assertEquals(Status.SUCCESSFUL, v2.analyses().get(0).status());
            // v3: aborted by the analysis, the deciding measurement in the record
            assertEquals(DeployRecord.Outcome.ABORTED, v3.outcome());
            AnalysisRecord a = v3.analyses().get(0);
            assertEquals(Status.FAILED, a.status());
            MeasurementRecord deciding = AnalysisReports.deciding(a, a.measurements().stream()
                    .sorted(Comparator.comparing(MeasurementRecord::at)).toList());
            assertNotNull(deciding, "the record names what decided: " + a);
            assertEquals("canary-error-rate", deciding.metric());
            // v3's pods fail 20% of real requests; the measurement counts the few dozen the canary got in its window
            // (Traefik's counters), so it lies above the 5% threshold and, with sampling noise, below 50%.
            assertTrue(deciding.values().get(0) > 5 && deciding.values().get(0) < 50, "above 5%, below 50%: "
                    + deciding);
            assertTrue(v3.events().stream().anyMatch(e -> StrategyEvent.Type.ABORT.equals(e.type())
                    && e.detail().contains("Reason: Analysis 'errors' failed")), v3.events().toString());
            // the users' requests: shared between the versions as the weights said, none lost (a pod that goes
            // answers while the proxy learns it is going)
            for (DeployRecord r : List.of(v2, v3)) {
                AnalysisRecord requests = r.analyses().get(r.analyses().size() - 1);
                assertEquals("requests through Traefik (measured by the demo)", requests.name());
                assertTrue(requests.message().endsWith(" lost 0"), requests.message());
                assertTrue(requests.measurements().stream().anyMatch(m -> m.metric().equals("share from "
                        + (r == v2 ? "2.0.0" : "3.0.0")) && m.values().get(0) > 0), requests.toString());
            }
            // back on v2, no canary
            Deployment web = cluster.admin().apps().deployments().inNamespace(ns).withName("web").get();
            assertEquals("registry.example/demo/web:2.0.0", web.getSpec().getTemplate().getSpec().getContainers()
                    .get(0).getImage());
            assertNull(cluster.admin().apps().deployments().inNamespace(ns).withName("web-canary").get());
            // the report
            String html = Files.readString(dir.resolve("report.html"));
            assertTrue(html.contains("canary-error-rate") && html.contains("FAILED" + AnalysisReports.DECIDING),
                    "the report shows the deciding measurement");
            assertTrue(html.contains("share from 2.0.0") && html.contains("share from 3.0.0"),
                    "the report's chart shows the measured share of each version");
            // Prometheus is stopped, and no pid file is left
            assertFalse(Files.exists(state.resolve("prometheus/prometheus.pid")));

            // again, in the same namespace: it is deleted and made anew, and all goes the same way
            Run second = demo(cluster, ns, examples, state);
            assertEquals(0, second.exit, second.out);
            assertTrue(second.out.contains("Deleting namespace " + ns + " of an earlier run"), second.out);
        } finally {
            cluster.admin().namespaces().withName(ns).delete();
        }
    }

    @Test
    void aNamespaceTheDemoDidNotMakeIsLeftAlone(TestCluster cluster, @TempDir Path state) throws Exception {
        Run r = demo(cluster, cluster.namespace(), repositoryRoot().resolve("examples/demo"), state);
        assertEquals(1, r.exit, r.out);
        assertTrue(r.out.contains("Namespace " + cluster.namespace() + " exists and was not made by k8spd demo"),
                r.out);
        assertNotNull(cluster.admin().namespaces().withName(cluster.namespace()).get());
    }

    private record Run(int exit, String out) {}

    private static Run demo(TestCluster cluster, String ns, Path examples, Path state) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit;
        try (PrintStream tee = new PrintStream(new TeeStream(buffer, stdout), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            exit = Main.run("demo", "--yes", "--kubeconfig", cluster.bed().adminKubeconfig().toString(),
                    "--namespace", ns, "--examples", examples.toString(), "--state-dir", state.toString(),
                    "--prometheus", PrometheusFixture.BINARY, "--pause", "2s", "--approval-delay", "1s",
                    "--timeout", "2m");
        } finally {
            System.setOut(stdout);
        }
        return new Run(exit, buffer.toString(StandardCharsets.UTF_8));
    }

    private static Path onlyReportDir(Path state) throws Exception {
        try (Stream<Path> dirs = Files.list(state.resolve("reports"))) {
            List<Path> all = dirs.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/demo")) && Files.isRegularFile(p.resolve("testbed/up"))) {
                return p;
            }
        }
        throw new IllegalStateException("no examples/demo above " + Path.of("").toAbsolutePath());
    }

    /** Writes to the buffer and to the real standard output, so a long test shows its progress. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
