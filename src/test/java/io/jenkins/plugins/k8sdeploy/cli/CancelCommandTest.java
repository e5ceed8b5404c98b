package io.jenkins.plugins.k8sdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryState;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.testbed.OutageProxy;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancelled CI job (SIGTERM to k8spd, as GitHub Actions, GitLab CI and Jenkins agents send) ends like a stopped
 * Jenkins step: the deploy rolled back or the canary aborted, the record written, exit 143; a second signal exits at
 * once and says what is left. Each test runs k8spd as a real child process and signals it.
 */
@RequiresCluster
class CancelCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        children.forEach(Process::destroyForcibly);
    }

    /** What {@link #k8spd} printed last, stdout and stderr together. */
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

    /** k8spd in this JVM, output kept out of the test log; for setting the scene. */
    int k8spd(TestCluster c, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        sink.reset();
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            return Main.run(withCluster(c.bed().adminKubeconfig(), c, args));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static String[] withCluster(Path kubeconfig, TestCluster c, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kubeconfig=" + kubeconfig);
        all.add("--namespace=" + c.namespace());
        return all.toArray(String[]::new);
    }

    /** bin/k8spd as a child process: the same main class, this test's classpath. */
    Process child(Path kubeconfig, TestCluster c, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(withCluster(kubeconfig, c, args)));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        children.add(p);
        return p;
    }

    String out() {
        return read("out.txt");
    }

    String err() {
        return read("err.txt");
    }

    private String read(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }

    void until(String what, BooleanSupplier condition, Process p) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline) || !p.isAlive()) {
                throw new AssertionError("never " + what + (p.isAlive() ? "" : " (k8spd exited " + p.exitValue()
                        + ")") + "\nstdout:\n" + out() + "\nstderr:\n" + err());
            }
            Thread.sleep(100);
        }
    }

    static void sigterm(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    int exitOf(Process p) throws Exception {
        assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "k8spd did not exit; stderr:\n" + err());
        return p.exitValue();
    }

    Path write(String name, String image, String podLabels) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, DeployCommandTest.deployment(image, podLabels));
        return p;
    }

    Deployment deployment(TestCluster c, String name) {
        return c.admin().apps().deployments().inNamespace(c.namespace()).withName(name).get();
    }

    static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    DeployRecord record(Path file) throws Exception {
        assertTrue(Files.exists(file), "no record was written; stderr:\n" + err());
        return RecordJson.fromJson(Files.readString(file));
    }

    /** The canary reached {@code weight} and k8spd pauses there (its plan's next step). */
    boolean canaryPausedAt(TestCluster c, String weight) {
        return out().contains("Pausing 10 min at " + weight + "%.")
                && weight.equals(CanaryState.annotations(deployment(c, "web")).get(CanaryState.WEIGHT));
    }

    @Test
    void anUnknownOnCancelChoiceIsRefusedAndNothingIsApplied(TestCluster c) throws Exception {
        assertEquals(2, k8spd(c, "deploy", "--on-cancel=maybe", write("v1.yaml", "registry.example/web:1", "")
                .toString()));

        assertTrue(sink.toString(StandardCharsets.UTF_8).contains("Invalid value for option '--on-cancel': expected"
                + " one of [rollback, leave] (case-sensitive) but was 'maybe'"), sink.toString(StandardCharsets.UTF_8));
        assertEquals(null, deployment(c, "web"), "nothing applied");
    }

    @Test
    void sigtermDuringARollingDeployRollsItBackThenWritesTheRecord(TestCluster c) throws Exception {
        assertEquals(0, k8spd(c, "deploy", write("v1.yaml", "registry.example/web:1", "").toString()));
        Path record = dir.resolve("record.json");
        Process p = child(c.bed().adminKubeconfig(), c, "deploy", "--timeout=5m", "--record=" + record,
                write("v2.yaml", "registry.example/web:2", ", k8spd.test/behaviour: never-ready").toString());
        until("waiting for the rollout", () -> out().contains("Waiting up to 5 min for Deployment/web to roll out."),
                p);

        sigterm(p);

        assertEquals(143, exitOf(p), err());
        assertEquals("registry.example/web:1", image(deployment(c, "web")), "rolled back to the previous image");
        assertTrue(err().contains("k8spd: SIGTERM received"), err());
        assertTrue(out().contains("Stopped (cancelled by SIGTERM) during the rollout; rolling back."), out());
        DeployRecord r = record(record);
        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals("The rollout was stopped: cancelled by SIGTERM.", r.failure());
        assertEquals(1, r.rollbacks().size(), r.rollbacks().toString());
        assertEquals(List.of("web=registry.example/web:1"), r.workloads().get(0).imagesAfter());
    }

    @Test
    void sigtermDuringACanaryPauseAbortsItThenWritesTheRecord(TestCluster c) throws Exception {
        assertEquals(0, k8spd(c, "canary", "start", write("app.yaml", "registry.example/web:1", "").toString()));
        Path record = dir.resolve("canary.json");
        Process p = child(c.bed().adminKubeconfig(), c, "canary", "start", "--plan=30%, pause 10m, 100%",
                "--record=" + record, write("app.yaml", "registry.example/web:2", "").toString());
        until("a canary paused at 30%", () -> canaryPausedAt(c, "30"), p);

        sigterm(p);

        assertEquals(143, exitOf(p), err());
        assertFalse(CanaryState.inProgress(deployment(c, "web")), "no canary left in progress");
        Deployment canary = deployment(c, "web-canary");
        assertTrue(canary == null || canary.getSpec().getReplicas() == 0, "the canary has no pods");
        assertEquals("registry.example/web:1", image(deployment(c, "web")), "stable serves");
        DeployRecord r = record(record);
        assertEquals(DeployRecord.Outcome.ABORTED, r.outcome());
        assertTrue(r.failure().contains("cancelled by SIGTERM"), r.failure());
    }

    @Test
    void onCancelLeaveLeavesTheCanaryWhereItIsAndRecordsIt(TestCluster c) throws Exception {
        assertEquals(0, k8spd(c, "canary", "start", write("app.yaml", "registry.example/web:1", "").toString()));
        Path record = dir.resolve("canary.json");
        Process p = child(c.bed().adminKubeconfig(), c, "canary", "start", "--plan=30%, pause 10m, 100%",
                "--on-cancel=leave", "--record=" + record,
                write("app.yaml", "registry.example/web:2", "").toString());
        until("a canary paused at 30%", () -> canaryPausedAt(c, "30"), p);

        sigterm(p);

        assertEquals(143, exitOf(p), err());
        Map<String, String> a = CanaryState.annotations(deployment(c, "web"));
        assertEquals("30", a.get(CanaryState.WEIGHT), "left at 30%");
        assertEquals("stopped: cancelled by SIGTERM", a.get(CanaryState.MESSAGE));
        DeployRecord r = record(record);
        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals("Stopped: cancelled by SIGTERM.", r.failure());
    }

    @Test
    void sigtermWhileANewColourComesUpLeavesTheOldColourServing(TestCluster c) throws Exception {
        Files.writeString(dir.resolve("v1.yaml"), BlueGreenCommandTest.app("registry.example/web:1"));
        Files.writeString(dir.resolve("v2.yaml"), BlueGreenCommandTest.app("registry.example/web:2")
                .replace("labels: {app: web}", "labels: {app: web, k8spd.test/behaviour: never-ready}"));
        assertEquals(0, k8spd(c, "bluegreen", "deploy", dir.resolve("v1.yaml").toString()));
        Path record = dir.resolve("bluegreen.json");
        Process p = child(c.bed().adminKubeconfig(), c, "bluegreen", "deploy", "--auto-switch", "--timeout=5m",
                "--record=" + record, dir.resolve("v2.yaml").toString());
        until("green coming up", () -> out().contains("Waiting for Deployment/web-green"), p);

        sigterm(p);

        assertEquals(143, exitOf(p), err());
        assertEquals(0, deployment(c, "web-green").getSpec().getReplicas(), "the new colour has no pods");
        assertEquals("blue", c.admin().services().inNamespace(c.namespace()).withName("web").get().getSpec()
                .getSelector().get("k8s-progressive-delivery.jenkins.io/colour"), "blue serves");
        DeployRecord r = record(record);
        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertTrue(r.failure().contains("cancelled by SIGTERM"), r.failure());
    }

    @Test
    void aCanaryThatLosesItsApiServerStillWritesItsRecord(TestCluster c) throws Exception {
        assertEquals(0, k8spd(c, "canary", "start", write("app.yaml", "registry.example/web:1", "").toString()));
        URI server = URI.create(c.adminConnection().serverUrl());
        Path record = dir.resolve("canary.json");
        try (OutageProxy proxy = OutageProxy.start(c)) {
            Process p = child(proxied(c, server, proxy), c, "canary", "start", "--plan=30%, pause 10m, 100%",
                    "--timeout=10s", "--record=" + record, write("app.yaml", "registry.example/web:2", "").toString());
            until("a canary paused at 30%", () -> canaryPausedAt(c, "30"), p);

            proxy.down();

            assertEquals(1, exitOf(p), err());
        }
        DeployRecord r = record(record);
        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals(DeployRecord.Strategy.CANARY, r.strategy());
        assertTrue(r.failure() != null && !r.failure().isBlank(), "the record says what ended it");
        assertFalse(r.events().isEmpty(), "the record keeps what happened before: " + r.events());
    }

    /** The admin kubeconfig, its server replaced by {@code proxy}. */
    Path proxied(TestCluster c, URI server, OutageProxy proxy) throws Exception {
        Path proxied = dir.resolve("proxied.kubeconfig");
        Files.writeString(proxied, Files.readString(c.bed().adminKubeconfig()).replace(
                server.getHost() + ":" + server.getPort(), server.getHost() + ":" + proxy.port()));
        return proxied;
    }

    @Test
    void aSecondSigtermExitsAtOnceAndSaysWhatIsLeft(TestCluster c) throws Exception {
        assertEquals(0, k8spd(c, "canary", "start", write("app.yaml", "registry.example/web:1", "").toString()));
        URI server = URI.create(c.adminConnection().serverUrl());
        try (OutageProxy proxy = OutageProxy.start(c)) {
            Process p = child(proxied(c, server, proxy), c, "canary", "start", "--plan=30%, pause 10m, 100%",
                    write("app.yaml", "registry.example/web:2", "").toString());
            until("a canary paused at 30%", () -> canaryPausedAt(c, "30"), p);
            proxy.freeze(); // the API server stops answering: the abort cannot finish

            sigterm(p);
            until("the first signal taken", () -> err().contains("k8spd: SIGTERM received"), p);
            long second = System.nanoTime();
            sigterm(p);

            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "the second signal exits at once; stderr:\n" + err());
            assertEquals(143, p.exitValue());
            assertTrue(Duration.ofNanos(System.nanoTime() - second).toMillis() < 5000);
            assertTrue(err().contains("k8spd: SIGTERM again: exiting now, before the stop finished. Left: canary web"
                    + " at 30%"), err());
            assertTrue(err().contains("abort it with k8spd canary abort"), err());
        }
    }
}
