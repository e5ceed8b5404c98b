package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import static io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngineTest.app;
import static io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngineTest.deployment;
import static io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngineTest.endpointIps;
import static io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngineTest.podIps;
import static io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngineTest.selector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blue-green with an analysis after the switch, judged by a real Prometheus (Debian's, scraping a metrics endpoint
 * whose series are named by Service: {@code web} is the active Service, the new colour after the switch, and
 * {@code web-preview} the old colour). A healthy new colour stays and the old one is scaled down only after the
 * analysis passed; five times the error rate switches back within a second of the deciding measurement; an
 * inconclusive analysis waits for a person, whose abort switches back.
 */
@RequiresCluster
class BlueGreenAnalysisTest {
    static final Clock CLOCK = Clock.systemUTC();
    static final String COLOUR = BlueGreenEngineTest.COLOUR;

    @TempDir
    Path dir;

    MetricsServer metrics;
    PrometheusFixture prometheus;
    final BlueGreenEngine engine = new BlueGreenEngine(CLOCK);
    final Consumer<String> log = line -> System.out.println("[analysis bluegreen] " + line);

    @BeforeEach
    void start() throws Exception {
        metrics = new MetricsServer().set("web-preview", 0.01, 0.1);
        prometheus = PrometheusFixture.start(metrics.target());
    }

    @AfterEach
    void stop() throws Exception {
        prometheus.close();
        metrics.close();
    }

    /** The new colour's error ratio over the old one's: passes under 2x, fails at 3x or more, between: nobody knows. */
    AnalysisPort analyses() throws Exception {
        String yaml = """
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
                """.formatted(prometheus.url());
        return AnalysisConfig.parse(yaml, "test").build(null, List.of("errors"));
    }

    BlueGreenRequest.Builder request(TestCluster c, String image) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), app(image, "", ""), StandardCharsets.UTF_8);
        return BlueGreenRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(Duration.ofMinutes(2));
    }

    DeployRecord run(TestCluster c, BlueGreenRollout r) throws Exception {
        return Rollouts.run(r, c.adminConnection(), CLOCK, log, false);
    }

    /** v1 in blue, serving; both series scraped. */
    void deployV1(TestCluster c, double newErrorRate) throws Exception {
        DeployRecord r = run(c, engine.deploy(request(c, "registry.example/web:1").build(),
                new LocalManifestFiles(dir), c.adminConnection(), log));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), r.timeline().toString());
        metrics.set("web", newErrorRate, 0.1);
        awaitSeries("web-preview");
        awaitSeries("web");
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

    static List<StrategyEvent.Type> types(DeployRecord r) {
        return r.events().stream().map(StrategyEvent::type).toList();
    }

    static List<StrategyEvent> events(DeployRecord r, StrategyEvent.Type type) {
        return r.events().stream().filter(e -> e.type().equals(type)).toList();
    }

    @Test
    void aHealthyNewColourPassesAndTheOldOneIsScaledDownOnlyAfterwards(TestCluster c) throws Exception {
        deployV1(c, 0.01);
        AtomicReference<Instant> blueFirstChanged = new AtomicReference<>();
        BlueGreenRollout rollout = engine.deploy(request(c, "registry.example/web:2").autoSwitch(true)
                .scaleDownDelay(Duration.ofSeconds(3)).waitForScaleDown(true).analysis("errors").build(),
                new LocalManifestFiles(dir), c.adminConnection(), log).withAnalysis(analyses());
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            // When blue first lost a replica or got a scale-down time, as seen from outside. It is judged against
            // the analysis's last measurement afterwards: a change seen before that was made during the analysis.
            // (Reading the rollout's phase beside the Deployment raced: the rollout writes blue's scale-down time
            // a moment before its phase leaves ANALYSIS.)
            Instant end = Instant.now().plusSeconds(90);
            while (Instant.now().isBefore(end) && !rollout.finished() && blueFirstChanged.get() == null) {
                var blue = deployment(c, "web-blue");
                if (blue.getSpec().getReplicas() != 3 || blue.getMetadata().getAnnotations()
                        .containsKey("k8s-progressive-delivery.jenkins.io/scale-down-at")) {
                    blueFirstChanged.set(Instant.now());
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        DeployRecord r = run(c, rollout);
        watcher.get();

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), r.timeline().toString());
        assertEquals(Map.of("app", "web", COLOUR, "green"), selector(c, "web"), "green stays active");
        AnalysisRecord a = r.analyses().get(0);
        assertEquals(AnalysisPort.Status.SUCCESSFUL, a.status(), a.message());
        assertEquals(3, a.measurements().size());
        assertTrue(a.measurements().stream().allMatch(m -> m.values().get(0) == 1.0), a.measurements().toString());
        assertTrue(a.measurements().get(0).query().contains("track=\"web\"") && a.measurements().get(0).query()
                .contains("track=\"web-preview\""), "canary = active Service, stable = preview: "
                        + a.measurements().get(0).query());
        List<StrategyEvent.Type> types = types(r);
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.SWITCH, StrategyEvent.Type.ANALYSIS,
                StrategyEvent.Type.ANALYSIS, StrategyEvent.Type.SCALE_DOWN), types, r.events().toString());
        StrategyEvent passed = events(r, StrategyEvent.Type.ANALYSIS).get(1);
        assertTrue(passed.detail().startsWith("Analysis 'errors' passed"), passed.detail());
        StrategyEvent scaleDown = events(r, StrategyEvent.Type.SCALE_DOWN).get(0);
        long afterPass = Duration.between(passed.at(), scaleDown.at()).toMillis();
        assertTrue(afterPass >= 3000, "scaled down the delay after the analysis passed, not before: " + afterPass);
        assertTrue(passed.at().isAfter(a.measurements().get(2).at().minusMillis(1)));
        Instant changed = blueFirstChanged.get();
        assertTrue(changed == null || !changed.isBefore(a.measurements().get(2).at()),
                "blue kept its pods while the analysis ran: changed at " + changed + ", last measurement at "
                        + a.measurements().get(2).at());
        assertEquals(0, deployment(c, "web-blue").getSpec().getReplicas());
        assertEquals(r, RecordJson.fromJson(RecordJson.toJson(r)), "the record survives JSON");
    }

    @Test
    void fiveTimesTheErrorRateSwitchesBackWithinASecond(TestCluster c) throws Exception {
        deployV1(c, 0.05);
        DeployRecord preview = run(c, engine.deploy(request(c, "registry.example/web:2").build(),
                new LocalManifestFiles(dir), c.adminConnection(), log));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, preview.outcome(), preview.timeline().toString());
        Set<String> bluePods = podIps(c, "blue");
        Set<String> greenPods = podIps(c, "green");
        BlueGreenRollout rollout = engine.switchOver(new BlueGreenSwitchRequest(BlueGreenTarget.of(c.namespace(),
                "web"), Duration.ofSeconds(30), Duration.ofMinutes(1), true, "errors"), c.adminConnection(), log)
                .withAnalysis(analyses());
        AtomicReference<Instant> oldOnly = new AtomicReference<>();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            boolean sawGreen = false;
            Instant end = Instant.now().plusSeconds(90);
            while (Instant.now().isBefore(end)) {
                Set<String> endpoints = endpointIps(c, "web");
                if (endpoints.stream().anyMatch(greenPods::contains)) {
                    sawGreen = true;
                } else if (sawGreen && endpoints.equals(bluePods)) {
                    oldOnly.set(Instant.now());
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        DeployRecord r = run(c, rollout);
        watcher.get();

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome(), r.timeline().toString());
        assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(c, "web"), "switched back to blue");
        assertEquals(Map.of("app", "web", COLOUR, "green"), selector(c, "web-preview"));
        AnalysisRecord a = r.analyses().get(0);
        assertEquals(AnalysisPort.Status.FAILED, a.status(), a.message());
        MeasurementRecord deciding = a.measurements().get(a.measurements().size() - 1);
        assertEquals(AnalysisPort.Status.FAILED, deciding.phase());
        assertEquals(5.0, deciding.values().get(0), 1e-9, "green's error ratio over blue's");
        assertTrue(r.failure().startsWith("Analysis 'errors' of green did not pass"), r.failure());
        assertTrue(r.failure().contains("error-ratio") && r.failure().contains("back to blue"), r.failure());
        StrategyEvent back = events(r, StrategyEvent.Type.SWITCH_BACK).get(0);
        assertTrue(back.detail().contains("analysis 'errors' failed"), back.detail());
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.SWITCH, StrategyEvent.Type.ANALYSIS,
                StrategyEvent.Type.ANALYSIS, StrategyEvent.Type.SWITCH_BACK), types(r));
        long toSwitchBack = Duration.between(deciding.at(), back.at()).toMillis();
        assertNotNull(oldOnly.get(), "the active Service came back to blue pods only");
        long toOldOnly = Duration.between(deciding.at(), oldOnly.get()).toMillis();
        StrategyEvent verdict = events(r, StrategyEvent.Type.ANALYSIS).get(1);
        System.out.println("BENCHMARK blue-green deciding measurement (started, query sent) -> switch back issued: "
                + toSwitchBack + " ms; -> Service endpoints old-colour-only: " + toOldOnly + " ms; verdict (ANALYSIS"
                + " event) -> switch back issued: " + Duration.between(verdict.at(), back.at()).toMillis() + " ms");
        assertTrue(toSwitchBack < 1000, "switched back within a second of the deciding measurement: " + toSwitchBack);
        assertTrue(toOldOnly < 1000, "old-colour-only endpoints within a second: " + toOldOnly);
        assertEquals(3, deployment(c, "web-blue").getSpec().getReplicas(), "blue kept its pods");
        assertNotNull(deployment(c, "web-green").getMetadata().getAnnotations()
                .get("k8s-progressive-delivery.jenkins.io/scale-down-at"), "green is scheduled for scale-down");
        assertEquals(r, RecordJson.fromJson(RecordJson.toJson(r)), "the record survives JSON");
    }

    @Test
    void anInconclusiveAnalysisWaitsForAPersonAndAbortSwitchesBack(TestCluster c) throws Exception {
        deployV1(c, 0.025); // 2.5x: neither below 2 nor at 3
        BlueGreenRollout rollout = engine.deploy(request(c, "registry.example/web:2").autoSwitch(true)
                .analysis("errors").build(), new LocalManifestFiles(dir), c.adminConnection(), log)
                .withAnalysis(analyses());
        CompletableFuture<DeployRecord> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run(c, rollout);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Instant deadline = Instant.now().plusSeconds(60);
        Optional<Approval> pending;
        while ((pending = rollout.pendingApproval()).isEmpty()) {
            assertTrue(Instant.now().isBefore(deadline), "never waited for a person: " + rollout.status());
            assertFalse(running.isDone(), "finished without asking: " + rollout.status());
            Thread.sleep(100);
        }
        assertTrue(pending.get().message().contains("inconclusive"), pending.get().message());
        assertEquals(Map.of("app", "web", COLOUR, "green"), selector(c, "web"), "green serves while it waits");
        assertEquals(3, deployment(c, "web-blue").getSpec().getReplicas(), "blue keeps its pods while it waits");
        assertNull(deployment(c, "web-blue").getMetadata().getAnnotations()
                .get("k8s-progressive-delivery.jenkins.io/scale-down-at"));
        rollout.decide(new Approval.Decision("not-this-one", true, "someone", null), CLOCK, log);
        assertTrue(rollout.pendingApproval().isPresent(), "an answer to another wait is ignored");

        rollout.decide(new Approval.Decision(pending.get().id(), false, "alice", "too many errors"), CLOCK, log);
        DeployRecord r = running.get();

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome(), r.timeline().toString());
        assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(c, "web"), "switched back to blue");
        BlueGreenEngineTest.endpointsAre(c, "web", "blue");
        assertEquals(AnalysisPort.Status.INCONCLUSIVE, r.analyses().get(0).status());
        assertTrue(types(r).containsAll(List.of(StrategyEvent.Type.APPROVAL_WAIT, StrategyEvent.Type.REJECTED,
                StrategyEvent.Type.SWITCH_BACK)), types(r).toString());
        assertTrue(events(r, StrategyEvent.Type.SWITCH_BACK).get(0).detail().contains("rejected by alice: too many errors"),
                r.events().toString());
        assertTrue(r.failure().contains("back to blue"), r.failure());
    }
}
