package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.testbed.MetricsServer;
import io.jenkins.plugins.k8sdeploy.testbed.PrometheusFixture;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canaries judged by a real Prometheus (Debian's, scraping a metrics endpoint whose error rates each test chooses):
 * a healthy canary is promoted, one with five times stable's error rate is aborted with the deciding measurement in
 * the record, an inconclusive one waits for a person. Also measures the time from the deciding measurement to
 * stable-only traffic.
 */
@RequiresCluster
class CanaryAnalysisTest {
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    MetricsServer metrics;
    PrometheusFixture prometheus;
    final Consumer<String> log = line -> System.out.println("[analysis canary] " + line);

    @BeforeEach
    void start() throws Exception {
        metrics = new MetricsServer().set("stable", 0.01, 0.1);
        prometheus = PrometheusFixture.start(metrics.target());
    }

    @AfterEach
    void stop() throws Exception {
        prometheus.close();
        metrics.close();
    }

    /** Canary error ratio over stable's; passes under 2x, fails at 3x or more, in between nobody can tell. */
    String analysisYaml() {
        return """
                providers:
                  prom: {type: prometheus, address: "%s", timeout: 2s}
                analyses:
                  errors:
                    metrics:
                    - name: error-ratio
                      provider: prom
                      query: scalar(app_error_ratio{track="canary"}) / scalar(app_error_ratio{track="stable"})
                      successCondition: result < 2
                      failureCondition: result >= 3
                      interval: 1s
                      count: 3
                """.formatted(prometheus.url());
    }

    Rollout start(TestCluster c, String image, String plan) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), CanaryEngineTest.app(image, 4, ""), StandardCharsets.UTF_8);
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(Duration.ofMinutes(2)).build();
        CanaryPlan p = CanaryPlan.parse(plan);
        return new CanaryEngine(CLOCK).start(new CanaryRequest(deploy, null, p, null, null, null, "test"),
                new LocalManifestFiles(dir), c.adminConnection(), AnalysisConfig.parse(analysisYaml(), "test")
                        .build(null, p.analyses()), log);
    }

    DeployRecord run(TestCluster c, Rollout r) throws Exception {
        return Rollouts.run(r, c.adminConnection(), CLOCK, log, true);
    }

    void deployV1(TestCluster c) throws Exception {
        assertEquals(DeployRecord.Outcome.SUCCEEDED, run(c, start(c, "registry.example/web:1.0", "100%")).outcome());
        awaitSeries("stable");
    }

    /** Waits until Prometheus has scraped the track at least twice. */
    void awaitSeries(String track) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(prometheus.url()
                    + "/api/v1/query?query=count_over_time(app_error_ratio%7Btrack%3D%22" + track + "%22%7D%5B1m%5D)"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (body.matches(".*\"value\":\\[[0-9.]+,\"([2-9]|[1-9][0-9]+)\"\\].*")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus never scraped " + track);
    }

    @Test
    void aHealthyCanaryPassesItsAnalysisAndIsPromoted(TestCluster c) throws Exception {
        deployV1(c);
        metrics.set("canary", 0.01, 0.1);
        awaitSeries("canary");

        DeployRecord r = run(c, start(c, "registry.example/web:2.0", "50%, analysis errors, 100%"));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), r.timeline().toString());
        AnalysisRecord a = r.analyses().get(0);
        assertEquals(AnalysisPort.Status.SUCCESSFUL, a.status(), a.message());
        assertEquals(3, a.measurements().size());
        assertTrue(a.measurements().stream().allMatch(m -> m.values().get(0) == 1.0), a.measurements().toString());
        assertEquals(StrategyEvent.Type.PROMOTED, r.events().get(r.events().size() - 1).type());
        assertEquals(r, RecordJson.fromJson(RecordJson.toJson(r)), "measurements survive JSON");
    }

    @Test
    void fiveTimesTheErrorRateAbortsAtOnceWithTheDecidingMeasurementInTheRecord(TestCluster c) throws Exception {
        deployV1(c);
        metrics.set("canary", 0.05, 0.1);
        awaitSeries("canary");
        Rollout rollout = start(c, "registry.example/web:2.0", "50%, analysis errors, 100%");
        AtomicReference<Instant> stableOnly = new AtomicReference<>();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> watchEndpoints(c, stableOnly));

        DeployRecord r = run(c, rollout);
        watcher.get();

        assertEquals(DeployRecord.Outcome.ABORTED, r.outcome(), r.timeline().toString());
        MeasurementRecord deciding = r.analyses().get(0).measurements().get(0);
        assertEquals(AnalysisPort.Status.FAILED, deciding.phase());
        assertEquals(5.0, deciding.values().get(0), 1e-9, "canary error ratio over stable's");
        assertTrue(deciding.query().contains("app_error_ratio"), deciding.query());
        assertTrue(r.failure().contains("error-ratio"), r.failure());
        StrategyEvent abort = r.events().stream().filter(e -> e.type().equals(StrategyEvent.Type.ABORT)).findFirst()
                .orElseThrow();
        assertEquals(r.failure(), abort.reason(), "the abort keeps its reason apart, as the report shows it");
        assertTrue(abort.detail().endsWith(". Reason: " + r.failure()), abort.detail());
        long toAbort = Duration.between(deciding.at(), abort.at()).toMillis();
        assertNotNull(stableOnly.get(), "the Service came back to stable pods only");
        long toStableOnly = Duration.between(deciding.at(), stableOnly.get()).toMillis();
        System.out.println("BENCHMARK deciding measurement -> abort issued: " + toAbort
                + " ms; -> Service endpoints stable-only: " + toStableOnly + " ms");
        assertTrue(toAbort < 1000, "abort within a second of the deciding measurement: " + toAbort + " ms");
        assertEquals(0, CanaryEngineTest.pods(c)[1]);
        assertEquals(Set.of("registry.example/web:1.0"), CanaryEngineTest.images(c, "stable"));
    }

    @Test
    void anInconclusiveAnalysisWaitsForAPersonAndCarriesOnWhenPromoted(TestCluster c) throws Exception {
        deployV1(c);
        metrics.set("canary", 0.025, 0.1); // 2.5x: neither below 2 nor at 3
        awaitSeries("canary");
        Rollout rollout = start(c, "registry.example/web:2.0", "50%, analysis errors, 100%");
        CompletableFuture<DeployRecord> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run(c, rollout);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Instant deadline = Instant.now().plusSeconds(60);
        while (!CanaryState.AWAITING_APPROVAL.equals(CanaryState.annotations(c.admin().apps().deployments()
                .inNamespace(c.namespace()).withName("web").get()).get(CanaryState.PHASE))) {
            assertTrue(Instant.now().isBefore(deadline), "never paused for a person");
            Thread.sleep(200);
        }
        assertEquals(2, CanaryEngineTest.pods(c)[1], "the canary stays at 50% while it waits");

        DeployRecord promote = Rollouts.run(new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web",
                CanaryEngine.Action.PROMOTE, 0, "a person", null, Duration.ofMinutes(1), log), c.adminConnection(),
                CLOCK, log, false);
        DeployRecord r = running.get();

        assertEquals(DeployRecord.Outcome.SUCCEEDED, promote.outcome());
        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), r.timeline().toString());
        assertEquals(AnalysisPort.Status.INCONCLUSIVE, r.analyses().get(0).status());
        List<StrategyEvent.Type> types = r.events().stream().map(StrategyEvent::type).toList();
        assertTrue(types.containsAll(List.of(StrategyEvent.Type.APPROVAL_WAIT, StrategyEvent.Type.APPROVED,
                StrategyEvent.Type.PROMOTED)), types.toString());
    }

    /** Records when Service web, having had canary endpoints, has only stable pods' addresses again. */
    static void watchEndpoints(TestCluster c, AtomicReference<Instant> stableOnly) {
        boolean sawCanary = false;
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            Set<String> canaryIps = new HashSet<>();
            Set<String> endpoints = new HashSet<>();
            for (Pod p : c.admin().pods().inNamespace(c.namespace()).withLabel(CanaryState.TRACK, "canary").list()
                    .getItems()) {
                if (p.getStatus().getPodIP() != null) {
                    canaryIps.add(p.getStatus().getPodIP());
                }
            }
            for (EndpointSlice s : c.admin().discovery().v1().endpointSlices().inNamespace(c.namespace())
                    .withLabel("kubernetes.io/service-name", "web").list().getItems()) {
                if (s.getEndpoints() != null) {
                    s.getEndpoints().stream()
                            .filter(e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()))
                            .forEach(e -> endpoints.addAll(e.getAddresses()));
                }
            }
            boolean hasCanary = endpoints.stream().anyMatch(canaryIps::contains);
            if (hasCanary) {
                sawCanary = true;
            } else if (sawCanary && !endpoints.isEmpty()) {
                stableOnly.set(Instant.now());
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
