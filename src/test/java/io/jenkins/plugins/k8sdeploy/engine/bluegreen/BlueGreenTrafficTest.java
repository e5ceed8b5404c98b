package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.testbed.Load;
import io.jenkins.plugins.k8sdeploy.testbed.Load.Response;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import io.jenkins.plugins.k8sdeploy.testbed.Traefik;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blue-green switch and a switch back under load, proven on real requests through the test bed's Traefik (Gateway
 * API HTTPRoute to the active Service; the switch changes that Service's selector, and Traefik follows its
 * EndpointSlices): no request fails, and once the switch is done every answer comes from the new colour.
 */
@RequiresCluster
class BlueGreenTrafficTest {
    @TempDir
    Path dir;

    final BlueGreenEngine engine = new BlueGreenEngine();

    static void sink(String line) {
        System.out.println("[bluegreen traffic] " + line);
    }

    static String app(TestCluster c, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: "%s", ports: [{containerPort: 8080}]}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                """.formatted(image) + Traefik.route(c.bed(), c.namespace(), "web");
    }

    DeployRecord run(TestCluster c, Rollout rollout) throws Exception {
        return Rollouts.run(rollout, c.adminConnection(), Clock.systemUTC(), BlueGreenTrafficTest::sink, false);
    }

    DeployRecord deploy(TestCluster c, String image) throws Exception {
        String file = image.substring(image.lastIndexOf(':') + 1) + ".yaml";
        Files.writeString(dir.resolve(file), app(c, image), StandardCharsets.UTF_8);
        return run(c, engine.deploy(BlueGreenRequest.builder().manifests(List.of(file)).namespace(c.namespace())
                .build(), new LocalManifestFiles(dir), c.adminConnection(), BlueGreenTrafficTest::sink));
    }

    BlueGreenSwitchRequest switchRequest(TestCluster c) {
        return new BlueGreenSwitchRequest(BlueGreenTarget.of(c.namespace(), "web"), Duration.ofMinutes(5),
                Duration.ofMinutes(1), false);
    }

    /**
     * Runs {@code change} under load and returns the answers to the requests sent from its start until 100 answers
     * in a row came from {@code to}, plus a second.
     */
    List<Response> underLoad(Load load, String what, String to, ThrowingRunnable change) throws Exception {
        long t0 = System.nanoTime();
        change.run();
        long done = System.nanoTime();
        long steady = load.awaitSteady(r -> r.ok() && to.equals(r.image()), 100, Duration.ofSeconds(20));
        Thread.sleep(1000);
        List<Response> window = load.sentBetween(t0, System.nanoTime());
        System.out.printf("[bluegreen traffic] %s: %d requests from its start until steady on %s plus 1 s; the"
                + " change took %d ms, all answers from %s %d ms after its start; by image: %s%n", what,
                window.size(), to, (done - t0) / 1_000_000, to, (steady - t0) / 1_000_000, Load.byImage(window));
        return window;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void switchAndSwitchBackUnderLoadLoseNoRequest(TestCluster c) throws Exception {
        assertEquals(DeployRecord.Outcome.SUCCEEDED, deploy(c, "registry.example/web:1").outcome());
        try (Load load = Load.start(c.bed().proxyUrl() + "/" + c.namespace() + "/", 4, 100)) {
            load.awaitSteady(r -> r.ok() && "registry.example/web:1".equals(r.image()), 50, Duration.ofSeconds(30));
            long previewing = System.nanoTime();
            assertEquals(DeployRecord.Outcome.SUCCEEDED, deploy(c, "registry.example/web:2").outcome(), "green on preview");
            List<Response> duringPreview = load.sentBetween(previewing, System.nanoTime());
            assertEquals(Map.of("registry.example/web:1", (long) duringPreview.size()), Load.byImage(duringPreview),
                    "while green comes up on the preview Service, blue answers everything");

            List<Response> switched = underLoad(load, "switch to green", "registry.example/web:2", () -> assertEquals(
                    DeployRecord.Outcome.SUCCEEDED, run(c, engine.switchOver(switchRequest(c), c.adminConnection(),
                            BlueGreenTrafficTest::sink)).outcome()));
            assertTrue(switched.size() > 100, "requests were sent during the switch: " + switched.size());
            assertEquals(0, switched.stream().filter(r -> !r.ok()).count(), "no request fails at the switch: "
                    + Load.byImage(switched));

            List<Response> back = underLoad(load, "switch back to blue", "registry.example/web:1", () -> assertEquals(
                    DeployRecord.Outcome.SUCCEEDED, run(c, engine.switchBack(switchRequest(c), c.adminConnection(),
                            BlueGreenTrafficTest::sink)).outcome()));
            assertTrue(back.size() > 100, "requests were sent during the switch back: " + back.size());
            assertEquals(0, back.stream().filter(r -> !r.ok()).count(), "no request fails at the switch back: "
                    + Load.byImage(back));
        }
    }
}
