package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.testbed.MetricsServer;
import io.jenkins.plugins.k8sdeploy.testbed.PrometheusFixture;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus provider against Debian's Prometheus scraping a {@link MetricsServer} (what PromQL really answers),
 * and against a local server for what a real Prometheus cannot be made to do on cue (checking credentials, answering
 * too late, answering in odd shapes).
 */
class PrometheusProviderTest {
    private static MetricsServer metrics;
    private static PrometheusFixture prometheus;
    private static PrometheusProvider prom;

    @BeforeAll
    static void startPrometheus() throws Exception {
        metrics = new MetricsServer().set("stable", 0.01, 0.1).set("canary", 0.02, 0.2);
        prometheus = PrometheusFixture.start(metrics.target());
        prometheus.awaitScrapes(4);
        prom = PrometheusProvider.of(prometheus.url());
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private static Measurement ask(String query) {
        return prom.measure(query, Instant.now());
    }

    private static Measurement ok(String query) {
        Measurement m = ask(query);
        assertNull(m.error(), () -> query + " failed: " + m.error());
        return m;
    }

    @Test
    void aVectorGivesOneValuePerSeries() {
        assertEquals(new TreeSet<>(List.of(0.01, 0.02)), new TreeSet<>(ok("app_error_ratio").values()));
        assertEquals(List.of(0.02), ok("app_error_ratio{track=\"canary\"}").values());
        // the analysis's kind of query: a ratio of rates
        List<Double> ratio = ok("sum(rate(app_requests_total{track=\"canary\",code=\"500\"}[10s]))"
                + " / sum(rate(app_requests_total{track=\"canary\"}[10s]))").values();
        assertEquals(1, ratio.size());
        assertEquals(0.02, ratio.get(0), 1e-9);
    }

    @Test
    void aScalarGivesItsValueAndNaNAndInfinitiesAreNumbers() {
        assertEquals(List.of(2.0), ok("scalar(app_error_ratio{track=\"canary\"}) * 100").values());
        assertTrue(Double.isNaN(ok("0/0").values().get(0)));
        assertEquals(List.of(Double.POSITIVE_INFINITY), ok("1/0").values());
        assertEquals(List.of(Double.NEGATIVE_INFINITY), ok("-1/0").values());
        assertTrue(Double.isNaN(ok("app_error_ratio{track=\"canary\"} * (0/0)").values().get(0)),
                "NaN in a vector");
    }

    @Test
    void aMatrixGivesEverySampleOfEverySeriesInTimeOrder() {
        List<Double> latency = ok("app_latency_seconds{track=\"stable\"}[1m]").values();
        assertTrue(latency.size() >= 4, "one sample per scrape: " + latency);
        latency.forEach(v -> assertEquals(0.1, v, 0.06));

        // Two counters scraped together: stable grows by 99 a scrape, canary by 98. In time order the series
        // alternate, so the samples at even and at odd places each grow, and the first two are the first scrape.
        List<Double> both = ok("app_requests_total{code=\"200\"}[1m]").values();
        assertEquals(0, both.size() % 2, both.toString());
        assertTrue(both.size() >= 8, both.toString());
        for (int i = 2; i < both.size(); i++) {
            assertTrue(both.get(i) > both.get(i - 2), "time order at " + i + ": " + both);
        }
        assertEquals(Math.min(both.get(0), both.get(1)), both.stream().mapToDouble(d -> d).min().orElseThrow());
    }

    @Test
    void noSeriesIsAnEmptyMeasurementNotAnError() {
        Measurement m = ok("app_error_ratio{track=\"nowhere\"}");
        assertEquals(List.of(), m.values());
        assertFalse(m.failed());
        assertEquals(List.of(), ok("app_latency_seconds{track=\"nowhere\"}[1m]").values());
    }

    @Test
    void aQuerySyntaxErrorIsAnErrorWithPrometheusOwnWords() {
        Measurement m = ask("sum(rate(app_requests_total[1m])");
        assertTrue(m.failed());
        assertTrue(m.error().startsWith("Prometheus at " + prometheus.url() + " answered HTTP 400: query error"
                + " (bad_data): "), m.error());
        assertTrue(m.error().contains("parse error"), m.error());

        Measurement s = ask("\"just text\"");
        assertEquals("the query returned the string 'just text', not numbers; a condition needs numbers", s.error());
        Measurement empty = ask("  ");
        assertEquals("the query is empty", empty.error());
    }

    @Test
    void aStoppedPrometheusIsAnErrorNamingItsAddress() throws Exception {
        try (PrometheusFixture other = PrometheusFixture.start(metrics.target())) {
            PrometheusProvider p = PrometheusProvider.of(other.url() + "/");
            assertFalse(p.measure("up", Instant.now()).failed());
            other.stop();
            Measurement m = p.measure("up", Instant.now());
            assertEquals("Prometheus at " + other.url() + " did not answer: Connection refused", m.error());
        }
        assertEquals("Prometheus at http://127.0.0.1:9 did not answer: Connection refused",
                PrometheusProvider.of("http://127.0.0.1:9").measure("up", Instant.now()).error());
        String unknown = PrometheusProvider.of("http://prometheus.invalid:9090").measure("up", Instant.now()).error();
        assertTrue(unknown.startsWith("Prometheus at http://prometheus.invalid:9090 did not answer: its host name does"
                + " not resolve"), unknown);
    }

    @Test
    void aPrometheusThatDoesNotAnswerTimesOutAfterFiveSeconds() throws Exception {
        try (FakeHttp slow = FakeHttp.start().on("/api/v1/query", r -> {
            FakeHttp.sleep(60_000);
            return FakeHttp.Reply.json(200, "{}");
        })) {
            PrometheusProvider p = new PrometheusProvider(slow.url(), null, Duration.ofSeconds(5), null);
            long start = System.nanoTime();
            Measurement m = p.measure("up", Instant.now());
            long took = (System.nanoTime() - start) / 1_000_000;
            assertEquals("Prometheus at " + slow.url() + " did not answer within 5s", m.error());
            assertTrue(took >= 4_900 && took < 7_000, "took " + took + " ms");
            // the request told Prometheus the same deadline
            assertTrue(slow.requests.get(0).body().contains("&timeout=5.000"), slow.requests.get(0).body());
        }
        assertEquals(Duration.ofSeconds(10), PrometheusProvider.of("http://127.0.0.1:9").timeout());
    }

    private static final String ANSWER = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{},\"value\":[1700000000.5,\"42\"]}]}}";

    @Test
    void credentialsAreSentAsAuthorizationHeadersAndNeverShown() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("grafana:pa55:word".getBytes(
                StandardCharsets.UTF_8));
        try (FakeHttp server = FakeHttp.start().on("/prom/api/v1/query", r ->
                "Bearer s3cret-token".equals(r.authorization()) || basic.equals(r.authorization())
                        ? FakeHttp.Reply.json(200, ANSWER)
                        : FakeHttp.Reply.text(401, "text/plain", "Unauthorized"))) {
            String address = server.url() + "/prom";
            Instant at = Instant.parse("2026-01-01T12:00:05.250Z");

            PrometheusProvider bearer = new PrometheusProvider(address, Credentials.bearer("s3cret-token"), null,
                    null);
            assertEquals(List.of(42.0), bearer.measure("sum(up{job=\"a b\"})", at).values());
            FakeHttp.Request sent = server.requests.get(0);
            assertEquals("POST", sent.method());
            assertEquals("/prom/api/v1/query", sent.uri());
            assertEquals(Map.of("query", "sum(up{job=\"a b\"})", "time", "1767268805.250", "timeout", "10.000"),
                    form(sent.body()));

            PrometheusProvider user = new PrometheusProvider(address, Credentials.basic("grafana", "pa55:word"),
                    null, null);
            assertEquals(List.of(42.0), user.measure("up", at).values());
            assertEquals(basic, server.requests.get(1).authorization());

            Measurement none = PrometheusProvider.of(address).measure("up", at);
            assertNull(server.requests.get(2).authorization());
            assertEquals("Prometheus at " + address + " answered HTTP 401: it wants credentials; give a credentialsId"
                    + " (Unauthorized)", none.error());

            Measurement wrong = new PrometheusProvider(address, Credentials.bearer("wrong-token"), null, null)
                    .measure("up", at);
            assertEquals("Prometheus at " + address + " answered HTTP 401: the credentials (bearer token) were"
                    + " refused", wrong.error(), "nothing of an answer to a request with credentials is shown");

            assertEquals("PrometheusProvider[" + address + ", credentials: bearer token, timeout 10s]",
                    bearer.toString());
            assertEquals("PrometheusProvider[" + address + ", credentials: basic (user grafana), timeout 10s]",
                    user.toString());
            assertFalse(Credentials.bearer("s3cret-token").toString().contains("s3cret"));
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void answersInOtherShapesAreErrorsThatSayWhatCameBack() throws Exception {
        try (FakeHttp server = FakeHttp.start()) {
            PrometheusProvider p = PrometheusProvider.of(server.url());
            String who = "Prometheus at " + server.url();
            server.on("/api/v1/query", r -> FakeHttp.Reply.json(200, "{\"status\":\"success\",\"data\":{"
                    + "\"resultType\":\"matrix\",\"result\":["
                    + "{\"metric\":{\"s\":\"a\"},\"values\":[[10,\"1\"],[12,\"NaN\"],[14,\"+Inf\"]]},"
                    + "{\"metric\":{\"s\":\"b\"},\"values\":[[11,\"2\"],[13,\"-Inf\"],[14,\"1e-3\"]]}]}}"));
            List<Double> v = p.measure("x[1m]", Instant.now()).values();
            assertEquals(6, v.size());
            assertEquals(List.of(1.0, 2.0), v.subList(0, 2));
            assertTrue(Double.isNaN(v.get(2)));
            assertEquals(List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0.001), v.subList(3, 6),
                    "time order; at the same time, series order");

            server.on("/api/v1/query", r -> FakeHttp.Reply.json(200, "{\"status\":\"success\",\"data\":{"
                    + "\"resultType\":\"vector\",\"result\":[{\"metric\":{\"le\":\"x\"},\"histogram\":[1,{}]}]}}"));
            assertTrue(p.measure("h", Instant.now()).error().startsWith("the query returned a native histogram"));

            server.on("/api/v1/query", r -> FakeHttp.Reply.json(200, "{\"status\":\"success\",\"data\":{"
                    + "\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"fast\"]}]}}"));
            assertEquals(who + " answered in a shape this plugin does not know: the sample value 'fast' is not a"
                    + " number", p.measure("x", Instant.now()).error());

            server.on("/api/v1/query", r -> FakeHttp.Reply.text(200, "text/html", "<html><body>Grafana</body>"
                    + "</html>"));
            assertEquals(who + " answered with something that is not Prometheus' JSON (text/html): <html><body>"
                    + "Grafana</body></html>; is " + server.url() + " the address whose /api/v1/query answers?",
                    p.measure("x", Instant.now()).error());

            server.on("/api/v1/query", r -> FakeHttp.Reply.text(502, "text/html", "<h1>Bad   Gateway</h1>\n"));
            assertEquals(who + " answered HTTP 502: <h1>Bad Gateway</h1>", p.measure("x", Instant.now()).error());

            server.on("/api/v1/query", r -> FakeHttp.Reply.json(503, "{\"status\":\"error\",\"errorType\":"
                    + "\"timeout\",\"error\":\"query timed out in expression evaluation\"}"));
            assertEquals(who + " answered HTTP 503: query error (timeout): query timed out in expression evaluation",
                    p.measure("x", Instant.now()).error());

            server.on("/api/v1/query", r -> new FakeHttp.Reply(302, "text/plain", "", Map.of("Location",
                    "https://login.example/")));
            assertEquals(who + " answered HTTP 302, a redirect to https://login.example/; give the address it"
                    + " redirects to (redirects are not followed, so credentials go nowhere else)",
                    p.measure("x", Instant.now()).error());

            String huge = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                    + "{\"metric\":{},\"value\":[1,\"1\"]},".repeat(700_000) + "{}]}}";
            server.on("/api/v1/query", r -> FakeHttp.Reply.json(200, huge));
            assertEquals(who + " answered with more than 16 MiB; aggregate the query (sum, avg, topk ...) so it"
                    + " returns fewer series", p.measure("x", Instant.now()).error());
        }
    }

    @Test
    void httpsTrustsTheGivenCaAndSaysWhenACertificateIsNotTrusted() throws Exception {
        FakeHttp.Tls tls = FakeHttp.Tls.create();
        try (FakeHttp server = FakeHttp.startTls(tls).on("/api/v1/query", r -> FakeHttp.Reply.json(200, ANSWER))) {
            assertTrue(server.url().startsWith("https://"));
            PrometheusProvider trusting = new PrometheusProvider(server.url(), null, null, tls.pem());
            assertEquals(List.of(42.0), trusting.measure("up", Instant.now()).values());
            assertEquals("Prometheus at " + server.url() + " did not answer: its TLS certificate is not trusted (give"
                    + " the CA that signed it as caCertificate)",
                    PrometheusProvider.of(server.url()).measure("up", Instant.now()).error());
        }
    }

    @Test
    void unusableAddressesAndCertificatesAreRefusedWhenTheProviderIsMade() {
        assertEquals("Prometheus address: 'ftp://prom:21' is not an http or https URL (expected e.g."
                + " http://prometheus:9090).", assertThrows(DeployException.class,
                        () -> PrometheusProvider.of("ftp://prom:21")).getMessage());
        assertEquals("Prometheus address: 'http://***@prom:9090' holds a user name or password; give them as"
                + " credentials instead.", assertThrows(DeployException.class,
                        () -> PrometheusProvider.of("http://admin:hunter2@prom:9090")).getMessage());
        assertEquals("Prometheus address: no address is given.", assertThrows(DeployException.class,
                () -> PrometheusProvider.of(" ")).getMessage());
        assertEquals("Prometheus at http://prom:9090: the CA certificate is not PEM: expected one or more blocks"
                + " '-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----'.", assertThrows(DeployException.class,
                        () -> new PrometheusProvider("http://prom:9090", null, null, "not a cert")).getMessage());
    }
}
