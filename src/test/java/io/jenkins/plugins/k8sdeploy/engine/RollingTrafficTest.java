package io.jenkins.plugins.k8sdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.testbed.Load;
import io.jenkins.plugins.k8sdeploy.testbed.Load.Response;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import io.jenkins.plugins.k8sdeploy.testbed.Traefik;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling deploy under load, on real requests through the test bed's Traefik (an HTTPRoute to the app's Service;
 * Traefik follows its EndpointSlices). With sane settings (no pod taken away before its replacement is ready, and a
 * preStop hook so a pod keeps answering while the proxy learns it is going) no request fails; without the hook, the
 * requests the proxy still sends to a pod that is gone fail, which shows the test can see a lost request.
 */
@RequiresCluster
class RollingTrafficTest {
    @TempDir
    Path dir;

    static final String SANE = """
            strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}""";
    /**
     * A pod that is deleted keeps answering for its grace period (the test bed's kwok stage for pods with a preStop
     * hook), as a pod whose preStop hook waits would.
     */
    static final String DRAINS = "lifecycle: {preStop: {sleep: {seconds: 2}}}";

    static String app(TestCluster c, String image, String containerExtra) {
        return Traefik.app(c.bed(), c.namespace(), image, SANE, "", containerExtra);
    }

    /** Deploys v1, then v2 under load; returns the answers to the requests sent from v2's start until steady on v2. */
    List<Response> rollUnderLoad(TestCluster c, String containerExtra) throws Exception {
        Deploys d = new Deploys(c, dir);
        d.write("app.yaml", app(c, "registry.example/web:1", containerExtra));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, d.deploy(DeployRequest.builder().manifests(List.of("app.yaml"))
                .timeout(Duration.ofMinutes(2))).outcome(), d.logText());
        try (Load load = Load.start(c.bed().proxyUrl() + "/" + c.namespace() + "/", 4, 100)) {
            load.awaitSteady(r -> r.ok() && "registry.example/web:1".equals(r.image()), 50, Duration.ofSeconds(30));
            d.write("app.yaml", app(c, "registry.example/web:2", containerExtra));
            long t0 = System.nanoTime();
            DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml"))
                    .timeout(Duration.ofMinutes(2)));
            long done = System.nanoTime();
            assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
            long steady = load.awaitSteady(r2 -> r2.ok() && "registry.example/web:2".equals(r2.image()), 100,
                    Duration.ofSeconds(20));
            // The last old pods still drain: wait out their grace period, under load, before counting.
            Thread.sleep(4000);
            List<Response> window = load.sentBetween(t0, System.nanoTime());
            System.out.printf("[rolling traffic] %s: %d requests from the deploy's start until steady on v2 plus 4 s;"
                    + " the deploy took %d ms, all answers from v2 %d ms after its start; by image: %s%n",
                    containerExtra.isEmpty() ? "no preStop hook" : "preStop hook", window.size(),
                    (done - t0) / 1_000_000, (steady - t0) / 1_000_000, Load.byImage(window));
            assertTrue(window.size() > 200, "requests were sent during the deploy: " + window.size());
            return window;
        }
    }

    @Test
    void aRollingDeployWithSaneSettingsLosesNoRequest(TestCluster c) throws Exception {
        List<Response> window = rollUnderLoad(c, DRAINS);
        assertEquals(0, window.stream().filter(r -> !r.ok()).count(), "no request fails during the rolling deploy: "
                + Load.byImage(window));
    }

    @Test
    void withoutAPreStopHookTheRequestsSentToAGoingPodFail(TestCluster c) throws Exception {
        List<Response> window = rollUnderLoad(c, "");
        assertTrue(window.stream().anyMatch(r -> !r.ok()), "a pod deleted at once still gets requests until the proxy"
                + " has read its EndpointSlice change, and they fail: " + Load.byImage(window));
    }
}
