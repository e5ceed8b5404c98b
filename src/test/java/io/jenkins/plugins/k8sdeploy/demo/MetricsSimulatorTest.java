package io.jenkins.plugins.k8sdeploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.jenkins.plugins.k8sdeploy.demo.MetricsSimulator.Track;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The demo's made-up traffic: counters grow with the ready pods and the error-rate annotation, and nothing else. */
class MetricsSimulatorTest {
    private static final double RPS = MetricsSimulator.REQUESTS_PER_POD_PER_SECOND;

    /** A clock moved by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2025-03-14T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final AtomicReference<List<Track>> tracks = new AtomicReference<>(List.of());
    private final List<String> log = new ArrayList<>();
    private final MetricsSimulator sim = new MetricsSimulator(tracks::get, clock, () -> 0, 0.3, log::add);

    private static Track stable(int pods, double errorRate) {
        return new Track("demo", "web", "stable", pods, errorRate, 0.08);
    }

    private static Track canary(int pods, double errorRate) {
        return new Track("demo", "web", "canary", pods, errorRate, 0.09);
    }

    @Test
    void countersGrowWithReadyPodsTimesTheErrorRate() {
        tracks.set(List.of(stable(8, 0.01), canary(2, 0.20)));
        sim.scrape(); // the first scrape starts the clock: nothing served yet
        assertEquals(0, sim.counters("demo", "web", "canary").requests());

        clock.advance(Duration.ofSeconds(1));
        sim.scrape();
        // given 2 canary pods at 20% for one second: 2 x RPS requests, a fifth of them errors
        assertEquals(2 * RPS, sim.counters("demo", "web", "canary").requests(), 1e-9);
        assertEquals(2 * RPS * 0.20, sim.counters("demo", "web", "canary").errors(), 1e-9);
        assertEquals(8 * RPS, sim.counters("demo", "web", "stable").requests(), 1e-9);
        assertEquals(8 * RPS * 0.01, sim.counters("demo", "web", "stable").errors(), 1e-9);

        // when the canary goes to 5 pods and the stable to 5, the next seconds count at the new sizes
        tracks.set(List.of(stable(5, 0.01), canary(5, 0.20)));
        clock.advance(Duration.ofSeconds(2));
        sim.scrape();
        assertEquals(2 * RPS + 5 * RPS * 2, sim.counters("demo", "web", "canary").requests(), 1e-9);
        assertEquals((2 * RPS + 5 * RPS * 2) * 0.20, sim.counters("demo", "web", "canary").errors(), 1e-9);
        assertEquals(8 * RPS + 5 * RPS * 2, sim.counters("demo", "web", "stable").requests(), 1e-9);
    }

    @Test
    void theExpositionIsPrometheusTextWithRoundedDownCounters() {
        tracks.set(List.of(canary(2, 0.20)));
        sim.scrape();
        clock.advance(Duration.ofMillis(1500));
        String text = sim.scrape();
        long all = (long) Math.floor(2 * RPS * 1.5);
        long errors = (long) Math.floor(2 * RPS * 1.5 * 0.20);
        assertTrue(text.contains("# TYPE demo_http_requests_total counter\n"), text);
        String series = "demo_http_requests_total{namespace=\"demo\",app=\"web\",track=\"canary\",code=";
        assertTrue(text.contains(series + "\"200\"} " + (all - errors) + "\n"), text);
        assertTrue(text.contains(series + "\"500\"} " + errors + "\n"), text);
        assertTrue(text.contains("demo_http_request_latency_seconds{namespace=\"demo\",app=\"web\",track=\"canary\"}"
                + " 0.0900\n"), text);
        assertTrue(text.contains("demo_ready_pods{namespace=\"demo\",app=\"web\",track=\"canary\"} 2\n"), text);
        assertEquals(0.20, errorShare(text, "canary"), 0.01, "errors over requests is the annotation's rate");
    }

    @Test
    void aTrackThatGoesAwayKeepsItsCountersWithNoPods() {
        tracks.set(List.of(stable(8, 0.01), canary(2, 0.20)));
        sim.scrape();
        clock.advance(Duration.ofSeconds(1));
        sim.scrape();
        double before = sim.counters("demo", "web", "canary").requests();

        tracks.set(List.of(stable(10, 0.01))); // aborted: the canary Deployment is gone
        clock.advance(Duration.ofSeconds(5));
        String text = sim.scrape();
        assertEquals(before, sim.counters("demo", "web", "canary").requests(), 1e-9, "a counter never goes down");
        assertTrue(text.contains("demo_ready_pods{namespace=\"demo\",app=\"web\",track=\"canary\"} 0\n"), text);
        assertEquals(8 * RPS + 10 * RPS * 5, sim.counters("demo", "web", "stable").requests(), 1e-9);
    }

    @Test
    void noPodsServeNothingAndAPausedJvmMakesNoBurst() {
        tracks.set(List.of(canary(0, 0.5)));
        sim.scrape();
        clock.advance(Duration.ofSeconds(3));
        sim.scrape();
        assertEquals(0, sim.counters("demo", "web", "canary").requests());

        tracks.set(List.of(canary(1, 0.5)));
        clock.advance(Duration.ofMinutes(10));
        sim.scrape();
        assertEquals(RPS * MetricsSimulator.MAX_STEP.toSeconds(), sim.counters("demo", "web", "canary").requests(),
                1e-9, "at most MAX_STEP of traffic per scrape");
    }

    @Test
    void noiseVariesEachScrapeByAtMostTheJitter() {
        MetricsSimulator noisy = new MetricsSimulator(() -> List.of(canary(1, 0.1)), clock, () -> 1, 0.3, log::add);
        noisy.scrape();
        clock.advance(Duration.ofSeconds(1));
        noisy.scrape();
        assertEquals(RPS * 0.1 * 1.3, noisy.counters("demo", "web", "canary").errors(), 1e-9);
        assertEquals(0.09 * 1.3, noisy.counters("demo", "web", "canary").latencySeconds(), 1e-9);
    }

    @Test
    void aClusterThatCannotBeReadIsToldOnceAndTheCountersStandStill() {
        List<Track> good = List.of(canary(2, 0.2));
        boolean[] fail = {false};
        MetricsSimulator flaky = new MetricsSimulator(() -> {
            if (fail[0]) {
                throw new IllegalStateException("connection refused");
            }
            return good;
        }, clock, () -> 0, 0, log::add);
        flaky.scrape();
        clock.advance(Duration.ofSeconds(1));
        flaky.scrape();
        double before = flaky.counters("demo", "web", "canary").requests();
        fail[0] = true;
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            flaky.scrape();
        }
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("connection refused"), log.toString());
        assertEquals(before, flaky.counters("demo", "web", "canary").requests(), 1e-9);
    }

    @ParameterizedTest(name = "[{index}] ready {0}, error-rate \"{1}\", latency \"{2}\" -> {3} pods, {4}, {5} s")
    @CsvSource(nullValues = "null", value = {
        "8,    0.01, 70,   8, 0.01, 0.07",
        "2,    0.20, null, 2, 0.20, 0.08",
        "null, 0.20, 90,   0, 0.20, 0.09",
        "3,    null, null, 3, 0,    0.08",
        "3,    lots, -5,   3, 0,    0.08",
        "3,    1.5,  90,   3, 1,    0.09"})
    void aDeploymentIsATrackOfItsReadyPodsAndTemplateAnnotations(Integer ready, String errorRate, String latency,
            int pods, double rate, double seconds) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName("web-canary").endMetadata()
                .withNewSpec().withReplicas(10).withNewTemplate().withNewMetadata().endMetadata().endTemplate()
                .endSpec();
        Map<String, String> annotations = new java.util.HashMap<>();
        if (errorRate != null) {
            annotations.put(ClusterTracks.ERROR_RATE, errorRate);
        }
        if (latency != null) {
            annotations.put(ClusterTracks.LATENCY_MS, latency);
        }
        Deployment d = b.build();
        d.getSpec().getTemplate().getMetadata().setAnnotations(annotations);
        if (ready != null) {
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReadyReplicas(ready)
                    .build());
        }
        Track t = ClusterTracks.track(d, "demo", "web", "canary");
        assertEquals(new Track("demo", "web", "canary", pods, rate, seconds), t);
    }

    @Test
    void aDeploymentWithoutTemplateAnnotationsIsAHealthyTrack() {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("web").endMetadata().build();
        assertEquals(new Track("demo", "web", "stable", 0, 0, 0.08), ClusterTracks.track(d, "demo", "web", "stable"));
    }

    @Test
    void theEndpointServesMetricsOnLoopback() throws Exception {
        tracks.set(List.of(stable(3, 0.01)));
        try (MetricsSimulator.Endpoint e = sim.serve(0)) {
            assertTrue(e.target().startsWith("127.0.0.1:"), e.target());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(e.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(ok.body().contains("demo_ready_pods{namespace=\"demo\",app=\"web\",track=\"stable\"} 3"),
                    ok.body());
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://" + e.target()
                    + "/admin")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\\b\\\"c\\nd", MetricsSimulator.escape("a\\b\"c\nd"));
        assertNull(sim.counters("demo", "web", "nothing"));
    }

    /** errors / requests of a track in an exposition. */
    private static double errorShare(String text, String track) {
        Matcher ok = Pattern.compile("track=\"" + track + "\",code=\"200\"} (\\d+)").matcher(text);
        Matcher err = Pattern.compile("track=\"" + track + "\",code=\"500\"} (\\d+)").matcher(text);
        assertTrue(ok.find() && err.find(), text);
        double e = Double.parseDouble(err.group(1));
        return e / (e + Double.parseDouble(ok.group(1)));
    }
}
