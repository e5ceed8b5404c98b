package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import io.jenkins.plugins.k8sdeploy.testbed.Load;
import io.jenkins.plugins.k8sdeploy.testbed.Load.Response;
import io.jenkins.plugins.k8sdeploy.testbed.PrometheusFixture;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import io.jenkins.plugins.k8sdeploy.testbed.Traefik;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canaries on the Gateway API router proven on real requests: a load loop through the test bed's Traefik, which reads
 * the HTTPRoute the router writes and proxies to the pods (answered by the pod server, which names the pod and its
 * image). The share of answers from canary pods at each weight, and what an abort does to the requests.
 */
@RequiresCluster
class CanaryTrafficTest {
    static final Clock CLOCK = Clock.systemUTC();
    static final RouterSpec ROUTER = RouterSpec.of(RouterSpec.Type.GATEWAY_API, "web");
    /** Answers measured per weight. */
    static final int SAMPLE = 1500;
    /**
     * Standard deviations allowed around the expected count: a correct router fails the check with probability
     * below 1e-4 per step (two-sided normal tail at 4 sd, which the binomial at n=1500 is close to).
     */
    static final double Z = 4.0;
    /**
     * How long after an abort's read-back (which includes Traefik's {@code Accepted} for the reset route) requests may
     * still reach the canary: Traefik writes the route's status before it swaps in the handlers built from it, so
     * the last requests routed by the old handlers can follow the read-back by some tens of milliseconds (0-14
     * requests measured at 400 a second, 2 cores). Not something a client of the Gateway API can observe.
     */
    static final Duration PROPAGATION = Duration.ofMillis(500);

    @TempDir
    Path dir;

    final long t0 = System.nanoTime();
    /** The rollout's lines, stamped with the milliseconds since the test began (as failures are, below). */
    final CanaryRuns.Log lines = new CanaryRuns.Log("[canary traffic]");
    final Consumer<String> log = line -> lines.accept("+" + ms(System.nanoTime()) + " ms " + line);

    long ms(long nanos) {
        return (nanos - t0) / 1_000_000;
    }

    /** When the failed ones among {@code rs} were sent, in ms since the test began. */
    String failures(List<Response> rs) {
        List<Long> at = rs.stream().filter(r -> !r.ok()).map(r -> ms(r.sent())).toList();
        return at.isEmpty() ? "none failed" : at.size() + " failed, sent at +" + at.get(0) + " .. +"
                + at.get(at.size() - 1) + " ms";
    }

    /**
     * web: Deployment (4 pods answering on 8080; a pod being deleted answers for 2-3 s more, as with a preStop hook
     * that waits), Service web (80 -> 8080), HTTPRoute web on the test bed Gateway.
     */
    static String app(TestCluster c, String image) {
        return app(c, image, "");
    }

    /** The same, with the pod annotations {@code podAnnotations} (YAML flow mapping entries, e.g. the error rate). */
    static String app(TestCluster c, String image, String podAnnotations) {
        return Traefik.app(c.bed(), c.namespace(), image, "", podAnnotations,
                "lifecycle: {preStop: {sleep: {seconds: 2}}}");
    }

    DeployRecord start(TestCluster c, String image, String plan) throws Exception {
        return start(c, app(c, image), plan, AnalysisPort.NONE);
    }

    DeployRecord start(TestCluster c, String yaml, String plan, AnalysisPort analysis) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), yaml, StandardCharsets.UTF_8);
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(Duration.ofMinutes(2)).build();
        return Rollouts.run(new CanaryEngine(CLOCK).start(new CanaryRequest(deploy, null, CanaryPlan.parse(plan),
                ROUTER, null, null, "test"), new LocalManifestFiles(dir), c.adminConnection(), analysis, log),
                c.adminConnection(), CLOCK, log, true);
    }

    DeployRecord control(TestCluster c, CanaryEngine.Action action, int weight, Consumer<String> sink)
            throws Exception {
        return Rollouts.run(new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web", action, weight,
                "test-control", AnalysisPort.NONE, Duration.ofMinutes(2), sink), c.adminConnection(), CLOCK, sink,
                true);
    }

    /** Measures SAMPLE answers sent from now on; asserts every one is OK and the canary's share is within tolerance. */
    void assertShare(Load load, String canaryImage, int weight) throws InterruptedException {
        List<Response> rs = load.await(System.nanoTime(), SAMPLE, Duration.ofSeconds(60));
        Map<String, Long> images = Load.byImage(rs);
        long canary = images.getOrDefault(canaryImage, 0L);
        double p = weight / 100.0;
        double tolerance = Z * Math.sqrt(SAMPLE * p * (1 - p));
        System.out.printf("[canary traffic] weight %d%%: %d of %d answers from the canary (%.1f%%; expected %.0f"
                + " +- %.1f); by image: %s%n", weight, canary, SAMPLE, 100.0 * canary / SAMPLE, SAMPLE * p, tolerance,
                images);
        assertEquals(SAMPLE, rs.stream().filter(Response::ok).count(), "every request is answered 200: " + images);
        assertTrue(Math.abs(canary - SAMPLE * p) <= tolerance, "at weight " + weight + "% the canary answered "
                + canary + " of " + SAMPLE + " requests; expected " + SAMPLE * p + " +- " + tolerance + ": " + images);
    }

    @Test
    void theCanaryGetsItsWeightOfRealRequestsAndNoneAfterAnAbort(TestCluster c) throws Exception {
        assertEquals(DeployRecord.Outcome.SUCCEEDED, start(c, "registry.example/web:1.0", "100%").outcome());
        try (Load load = Load.start(c.bed().proxyUrl() + "/" + c.namespace() + "/", 4, 100)) {
            load.awaitSteady(r -> r.ok() && "registry.example/web:1.0".equals(r.image()), 50, Duration.ofSeconds(30));

            DeployRecord at20 = start(c, "registry.example/web:2.0", "20%");
            assertEquals(DeployRecord.Outcome.SUCCEEDED, at20.outcome(), at20.timeline().toString());
            Traefik.awaitWeight(c.bed(), c.namespace(), "web-canary", 20, Duration.ofSeconds(10));
            assertShare(load, "registry.example/web:2.0", 20);

            assertEquals(DeployRecord.Outcome.SUCCEEDED, control(c, CanaryEngine.Action.WEIGHT, 50, log).outcome());
            Traefik.awaitWeight(c.bed(), c.namespace(), "web-canary", 50, Duration.ofSeconds(10));
            assertShare(load, "registry.example/web:2.0", 50);

            long promoting = System.nanoTime();
            assertEquals(DeployRecord.Outcome.SUCCEEDED, control(c, CanaryEngine.Action.FULL, 0, log).outcome());
            long promoted = System.nanoTime();
            Traefik.awaitWeight(c.bed(), c.namespace(), "web-canary", 0, Duration.ofSeconds(10));
            List<Response> promotion = load.sentBetween(promoting, promoted);
            System.out.println("[canary traffic] during the promotion: " + Load.byImage(promotion) + "; "
                    + failures(promotion));
            assertEquals(0, promotion.stream().filter(r -> !r.ok()).count(), "no request fails while the canary is"
                    + " promoted (the stable Deployment rolls to its version, the canary's pods go): "
                    + Load.byImage(promotion));
            assertShare(load, "registry.example/web:2.0", 100);

            // A canary at 50% that is aborted: once the router's reset is read back, no request goes to it.
            DeployRecord at50 = start(c, "registry.example/web:3.0", "50%");
            assertEquals(DeployRecord.Outcome.SUCCEEDED, at50.outcome(), at50.timeline().toString());
            Traefik.awaitWeight(c.bed(), c.namespace(), "web-canary", 50, Duration.ofSeconds(10));
            assertShare(load, "registry.example/web:3.0", 50);
            AtomicLong readBack = new AtomicLong();
            long aborting = System.nanoTime();
            DeployRecord aborted = control(c, CanaryEngine.Action.ABORT, 0, line -> {
                if (line.startsWith("Aborted: all traffic back to stable")) {
                    readBack.compareAndSet(0, System.nanoTime());
                }
                log.accept(line);
            });
            assertEquals(DeployRecord.Outcome.ABORTED, aborted.outcome(), aborted.timeline().toString());
            assertTrue(readBack.get() != 0, "the abort said it reset the router:\n" + log);
            long after = System.nanoTime();
            List<Response> later = load.await(after, 400, Duration.ofSeconds(30));
            long settled = readBack.get() + PROPAGATION.toNanos();
            List<Response> fromReadBack = load.sentBetween(readBack.get(), Long.MAX_VALUE);
            List<Response> beforeReadBack = load.sentBetween(aborting, readBack.get());
            List<Response> inGap = load.sentBetween(readBack.get(), settled);
            List<Response> fromSettled = load.sentBetween(settled, Long.MAX_VALUE);
            System.out.printf("[canary traffic] abort: sent from the abort to the read-back: %s; in the %d ms after"
                    + " it: %s; later: %s; %s%n", Load.byImage(beforeReadBack), PROPAGATION.toMillis(), Load.byImage(inGap),
                    Load.byImage(fromSettled), failures(load.sentBetween(aborting, Long.MAX_VALUE)));
            assertEquals(0, fromSettled.stream().filter(r -> "registry.example/web:3.0".equals(r.image())).count(),
                    "no request sent " + PROPAGATION.toMillis() + " ms after the reset was read back (and accepted by"
                            + " Traefik) reaches the canary: " + Load.byImage(fromReadBack));
            assertEquals(Map.of("registry.example/web:2.0", (long) later.size()), Load.byImage(later),
                    "after the abort every request is answered by stable");
            List<Response> sinceAbort = load.sentBetween(aborting, Long.MAX_VALUE);
            assertEquals(0, sinceAbort.stream().filter(r -> !r.ok()).count(), "no request fails while the canary is"
                    + " aborted (the route goes back to stable, the canary's pods go): " + Load.byImage(sinceAbort));
        }
    }

    /**
     * Analyses on Traefik's own metrics, scraped by a real Prometheus: {@code errors} measures the share of 5xx answers
     * Traefik counted for the canary Service (0 when it counted none: Traefik has no 5xx series until one fails); {@code latency} has the judge compare, with a Mann-Whitney U test, the
     * 90th percentile of canary and stable request latency computed each half second from Traefik's latency
     * histograms.
     */
    static String analyses(PrometheusFixture prometheus) {
        return """
                providers:
                  traefik: {type: prometheus, address: "%s", timeout: 2s}
                analyses:
                  errors:
                    metrics:
                    - name: canary-5xx-share
                      provider: traefik
                      query: >-
                        (sum(rate(traefik_service_requests_total{service="${namespace}-${canaryService}-http-80@kubernetesgateway", code=~"5.."}[5s])) or vector(0))
                        / sum(rate(traefik_service_requests_total{service="${namespace}-${canaryService}-http-80@kubernetesgateway"}[5s]))
                      initialDelay: 4s
                      interval: 1s
                      count: 5
                      successCondition: result < 0.05
                      failureCondition: result >= 0.1
                  latency:
                    judge:
                      interval: 12s
                      rounds: 2
                      minPoints: 20
                      metrics:
                      - name: p90
                        provider: traefik
                        query: >-
                          histogram_quantile(0.9, sum by (le) (rate(traefik_service_request_duration_seconds_bucket{service="${namespace}-${service}-http-80@kubernetesgateway"}[3s])))[10s:500ms]
                        direction: increase
                        tolerance: 0.25
                        critical: true
                """.formatted(prometheus.url());
    }

    /** Runs a canary of web:2.0 (pod annotations {@code podAnnotations}) through {@code plan} under load. */
    record Judged(DeployRecord record, List<Response> during, long startedNanos, long endedNanos) {}

    Judged underAnalysis(TestCluster c, String podAnnotations, String plan) throws Exception {
        assertEquals(DeployRecord.Outcome.SUCCEEDED, start(c, "registry.example/web:1.0", "100%").outcome());
        URI admin = URI.create(c.bed().proxyAdminUrl());
        try (PrometheusFixture prometheus = PrometheusFixture.start(admin.getHost() + ":" + admin.getPort());
                Load load = Load.start(c.bed().proxyUrl() + "/" + c.namespace() + "/", 4, 100)) {
            load.awaitSteady(r -> r.ok() && "registry.example/web:1.0".equals(r.image()), 50, Duration.ofSeconds(30));
            prometheus.awaitScrapes(3);
            CanaryPlan parsed = CanaryPlan.parse(plan);
            long started = System.nanoTime();
            DeployRecord r = start(c, app(c, "registry.example/web:2.0", podAnnotations), plan,
                    AnalysisConfig.parse(analyses(prometheus), "test").build(null, parsed.analyses()));
            long ended = System.nanoTime();
            // what follows the end: a second more of answers, to see who answers once it is over
            load.await(ended, 300, Duration.ofSeconds(30));
            return new Judged(r, load.sentBetween(started, Long.MAX_VALUE), started, ended);
        }
    }

    /**
     * The canary's pods fail 20% of real requests (the pod server's error rate); the analysis on Traefik's counts
     * aborts it; stable answers everything afterwards. Prints how long after the deciding measurement the last
     * request reached the canary.
     */
    @Test
    void aCanaryFailingOneRequestInFiveIsAbortedOnTraefiksMetrics(TestCluster c) throws Exception {
        Instant wallAtT0 = Instant.now();
        long nanoAtT0 = System.nanoTime();
        Judged j = underAnalysis(c, "k8spd.test/error-rate: \"0.2\"", "50%, analysis errors, 100%");
        DeployRecord r = j.record();
        assertEquals(DeployRecord.Outcome.ABORTED, r.outcome(), r.timeline().toString());
        MeasurementRecord deciding = r.analyses().get(0).measurements().stream()
                .filter(m -> m.phase() == AnalysisPort.Status.FAILED).findFirst()
                .orElseThrow(() -> new AssertionError(r.analyses().toString()));
        long decidingNanos = nanoAtT0 + Duration.between(wallAtT0, deciding.at()).toNanos();
        long lastToCanary = j.during().stream().filter(x -> "registry.example/web:2.0".equals(x.image())
                || x.status() == 500).mapToLong(Response::sent).max().orElseThrow();
        System.out.printf("[canary traffic] deciding measurement %s; all: %s; answers from the canary's start: %s;"
                + " %s; the last request that reached the canary was sent %d ms after the deciding measurement%n",
                deciding.values(), r.analyses().get(0).measurements().stream().map(MeasurementRecord::values).toList(),
                Load.byImage(j.during()), failures(j.during().stream().filter(x -> x.status() != 500).toList()),
                (lastToCanary - decidingNanos) / 1_000_000);
        assertEquals(0.2, deciding.values().get(0), 0.08, "the share of failed canary requests Traefik counted");
        List<Response> after = j.during().stream().filter(x -> x.sent() >= j.endedNanos()).toList();
        assertEquals(Map.of("registry.example/web:1.0", (long) after.size()), Load.byImage(after),
                "after the abort stable answers everything");
        assertTrue(lastToCanary - decidingNanos < Duration.ofSeconds(2).toNanos(), "the canary gets no request later"
                + " than 2 s after the deciding measurement: " + (lastToCanary - decidingNanos) / 1_000_000 + " ms");
    }

    /**
     * A healthy canary passes both analyses on Traefik's metrics and is promoted: its error share is 0 and the
     * judge finds its latency no higher than stable's.
     */
    @Test
    void aHealthyCanaryPassesTheAnalysesOnTraefiksMetrics(TestCluster c) throws Exception {
        Judged j = underAnalysis(c, "", "50%, analysis errors, analysis latency, 100%");
        DeployRecord r = j.record();
        System.out.println("[canary traffic] healthy canary: " + r.analyses().stream().map(a -> a.name() + " "
                + a.status() + (a.judge() == null ? "" : " score " + a.judge().score())).toList() + "; answers: "
                + Load.byImage(j.during()));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), r.timeline().toString());
        assertEquals(2, r.analyses().size(), r.analyses().toString());
        assertEquals(100.0, r.analyses().get(1).judge().score(), r.analyses().get(1).toString());
        assertEquals(0, j.during().stream().filter(x -> !x.ok()).count(), Load.byImage(j.during()).toString());
    }

    /**
     * The canary's pods answer 150 ms late: the judge compares canary and stable latency from Traefik's histograms
     * with a Mann-Whitney U test, finds the canary's higher, and the canary is aborted.
     */
    @Test
    void theJudgeFailsACanaryThatIsSlowOnRealRequests(TestCluster c) throws Exception {
        Judged j = underAnalysis(c, "k8spd.test/latency: \"150ms\"", "50%, analysis latency, 100%");
        DeployRecord r = j.record();
        System.out.println("[canary traffic] slow canary: " + r.analyses().get(0).message() + "; answers: "
                + Load.byImage(j.during()));
        assertEquals(DeployRecord.Outcome.ABORTED, r.outcome(), r.timeline().toString());
        assertTrue(r.analyses().get(0).message().contains("critical metric 'p90' is HIGH"),
                r.analyses().get(0).message());
        List<Response> after = j.during().stream().filter(x -> x.sent() >= j.endedNanos()).toList();
        assertEquals(Map.of("registry.example/web:1.0", (long) after.size()), Load.byImage(after),
                "after the abort stable answers everything");
    }
}
