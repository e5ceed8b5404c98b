package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpCheckProviderTest {
    private static final String HEALTH = """
            {"status": "UP",
             "checks": {"db": {"latency": 0.012, "ok": true}, "cache": {"ok": false}},
             "pods": [{"errors": 0}, {"errors": 2}],
             "odd.key": {"v": "0.5"},
             "nothing": null,
             "samples": [0.1, 0.2, 0.3]}
            """;
    private static FakeHttp server;
    private static HttpCheckProvider http;

    @BeforeAll
    static void start() throws Exception {
        server = FakeHttp.start()
                .on("/ok", r -> FakeHttp.Reply.text(200, "text/plain", "ok"))
                .on("/down", r -> FakeHttp.Reply.json(503, "{\"status\":\"DOWN\",\"checks\":{\"db\":{\"ok\":false}}}"))
                .on("/health", r -> FakeHttp.Reply.json(200, HEALTH))
                .on("/html", r -> FakeHttp.Reply.text(502, "text/html", "<h1>Bad Gateway</h1>"))
                .on("/moved", r -> new FakeHttp.Reply(301, "text/plain", "", Map.of("Location", "/ok")))
                .on("/slow", r -> {
                    FakeHttp.sleep(60_000);
                    return FakeHttp.Reply.text(200, "text/plain", "late");
                })
                .on("/private", r -> "Bearer t0ken".equals(r.authorization())
                        ? FakeHttp.Reply.json(200, "{\"ready\":true}")
                        : FakeHttp.Reply.text(401, "text/plain", "no"));
        http = HttpCheckProvider.of();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Measurement check(String query) {
        return http.measure(query, Instant.now());
    }

    private static List<Double> values(String query) {
        Measurement m = check(query);
        assertNull(m.error(), () -> query + ": " + m.error());
        return m.values();
    }

    @Test
    void aUrlAloneMeasuresTheStatusCodeWhateverItIs() {
        assertEquals(List.of(200.0), values(server.url() + "/ok"));
        assertEquals(List.of(503.0), values(server.url() + "/down"), "a failing check is a value, not an error");
        assertEquals(List.of(404.0), values(server.url() + "/nowhere"));
        assertEquals(List.of(301.0), values(server.url() + "/moved"), "redirects are not followed");
        assertEquals("GET", server.requests.get(0).method());
    }

    @Test
    void aJsonPathPicksNumbersBooleansAndComparisonsFromTheAnswer() {
        String h = server.url() + "/health";
        assertEquals(List.of(0.012), values(h + " | $.checks.db.latency"));
        assertEquals(List.of(1.0), values(h + " | $.checks.db.ok"));
        assertEquals(List.of(0.0), values(h + "|$.checks.cache.ok"));
        assertEquals(List.of(1.0), values(h + " | $.status == 'UP'"));
        assertEquals(List.of(0.0), values(h + " | $.status != \"UP\""));
        assertEquals(List.of(0.0, 2.0), values(h + " | $.pods[*].errors"));
        assertEquals(List.of(2.0), values(h + " | $.pods[1].errors"));
        assertEquals(List.of(0.5), values(h + " | $['odd.key'].v"), "a string holding a number is that number");
        assertEquals(List.of(0.1, 0.2, 0.3), values(h + " | $.samples"), "a list at the end gives its elements");
        assertEquals(List.of(1.0, 0.0), values(h + " | $.checks.*.ok"));
        assertTrue(Double.isNaN(values(h + " | $.nothing").get(0)), "null is NaN, no data");
        assertEquals(List.of(1.0), values(server.url() + "/down | $.status == 'DOWN'"),
                "with a path the status code does not matter");
    }

    @Test
    void whatThePathCannotReadIsAnErrorNamingTheUrlAndThePlace() {
        String h = server.url() + "/health";
        assertEquals(h + " answered HTTP 200, but $.checks has no field 'queue' (its fields: db, cache)",
                check(h + " | $.checks.queue.depth").error());
        assertEquals(h + " answered HTTP 200, but $.status is the text 'UP', not a number; compare it, as in"
                + " '$.status == \"UP\"' (1 when equal, else 0)", check(h + " | $.status").error());
        assertEquals(h + " answered HTTP 200, but $.checks.db is an object, not a number; name a field inside it"
                + " (its fields: latency, ok)", check(h + " | $.checks.db").error());
        assertEquals(h + " answered HTTP 200, but $.pods has no element [5] (it has 2)",
                check(h + " | $.pods[5].errors").error());
        assertEquals(h + " answered HTTP 200, but $.status is a text, not a list",
                check(h + " | $.status[0]").error());
        String html = server.url() + "/html";
        assertEquals(html + " answered HTTP 502 with something that is not JSON (text/html): <h1>Bad Gateway</h1>,"
                + " so $.status cannot be read", check(html + " | $.status").error());
    }

    @Test
    void queriesThatAreNoCheckAreErrors() {
        assertEquals("the JSON path 'status' does not start with $ (e.g. $.status)",
                check(server.url() + "/health | status").error());
        assertEquals("the JSON path '$.pods[x]' is not valid at character 8: expected an index from 0, '*', or a"
                + " quoted field name, not 'x'", check(server.url() + "/health | $.pods[x]").error());
        assertEquals("in the JSON path '$.status == UP', == must be followed by a quoted text such as 'UP'",
                check(server.url() + "/health | $.status == UP").error());
        assertEquals("'ftp://files/x' is not an http or https URL", check("ftp://files/x").error());
        assertEquals("the URL '/healthz' is relative, but the provider has no address to resolve it against; give a"
                + " full URL (http://...)", check("/healthz").error());
        assertEquals("'http://***@web/healthz' holds a user name or password; give them as the provider's"
                + " credentials instead", check("http://me:secret@web/healthz").error());
        assertTrue(check("").error().startsWith("the query is empty"));
        // the same checks, before a canary starts, on the query as configured (placeholders stand for hosts)
        assertNull(HttpCheckProvider.problem("http://${canaryService}.${namespace}.svc:8080/health | $.a[0]", null));
        assertEquals("'ftp://x' is not an http or https URL", HttpCheckProvider.problem("ftp://x", null));
        assertNull(HttpCheckProvider.problem("/healthz | $.status == 'UP'", "http://web:8080"));
    }

    @Test
    void relativeUrlsUseTheProvidersAddressAndCredentialsAreSent() throws Exception {
        HttpCheckProvider withBase = new HttpCheckProvider(server.url() + "/", Credentials.bearer("t0ken"), null,
                null);
        assertEquals(List.of(1.0), withBase.measure("/private | $.ready", Instant.now()).values());
        assertEquals(List.of(401.0), check(server.url() + "/private").values());
        assertEquals("HttpCheckProvider[" + server.url() + ", credentials: bearer token, timeout 10s]",
                withBase.toString());
        assertEquals("HTTP check address: 'mailto:x@y' is not an http or https URL (expected e.g."
                + " http://prometheus:9090).", assertThrows(DeployException.class,
                        () -> new HttpCheckProvider("mailto:x@y", null, null, null)).getMessage());
    }

    /**
     * A provider's credentials go to its own address only: a query naming another origin (another host, port or
     * scheme) is not sent at all, and a provider with credentials but no address sends none anywhere. The answer to
     * a request that carried credentials never reaches a message.
     */
    @Test
    void credentialsGoOnlyToTheProvidersOwnOriginAndTheirAnswersStayOutOfMessages() throws Exception {
        try (FakeHttp elsewhere = FakeHttp.start().on("/collect", r -> FakeHttp.Reply.text(200, "text/plain", "ok"))) {
            HttpCheckProvider withBase = new HttpCheckProvider(server.url(), Credentials.bearer("t0ken"), null, null);
            Measurement m = withBase.measure(elsewhere.url() + "/collect", Instant.now());
            assertTrue(m.failed() && m.error().contains("not checked, because the provider's credentials go only to"
                    + " its own address (" + server.url() + ")"), m.error());
            assertEquals(List.of(), elsewhere.requests, "nothing was sent elsewhere");

            HttpCheckProvider noBase = new HttpCheckProvider(null, Credentials.bearer("t0ken"), null, null);
            m = noBase.measure(server.url() + "/ok", Instant.now());
            assertTrue(m.failed() && m.error().contains("and it has none"), m.error());

            m = withBase.measure(server.url() + "/html | $.x", Instant.now());
            assertTrue(m.failed() && m.error().contains("(not shown: the request carried credentials)")
                    && !m.error().contains("Bad Gateway"), m.error());
            m = check(server.url() + "/html | $.x");
            assertTrue(m.error().contains("<h1>Bad Gateway</h1>"), "without credentials the start is shown: "
                    + m.error());
        }
    }

    @Test
    void noConnectionAndNoAnswerInTimeAreErrorsNamingTheUrl() throws Exception {
        assertEquals("http://127.0.0.1:9/healthz did not answer: Connection refused",
                check("http://127.0.0.1:9/healthz").error());
        HttpCheckProvider quick = new HttpCheckProvider(null, null, Duration.ofSeconds(1), null);
        long start = System.nanoTime();
        assertEquals(server.url() + "/slow did not answer within 1s",
                quick.measure(server.url() + "/slow", Instant.now()).error());
        assertTrue(System.nanoTime() - start < 3_000_000_000L);
    }

    @Test
    void httpsChecksTrustTheGivenCa() throws Exception {
        FakeHttp.Tls tls = FakeHttp.Tls.create();
        try (FakeHttp secure = FakeHttp.startTls(tls).on("/healthz", r -> FakeHttp.Reply.json(200, "{\"up\":1}"))) {
            HttpCheckProvider trusting = new HttpCheckProvider(null, null, null, tls.pem());
            assertEquals(List.of(1.0), trusting.measure(secure.url() + "/healthz | $.up", Instant.now()).values());
            assertEquals(secure.url() + "/healthz did not answer: its TLS certificate is not trusted (give the CA that"
                    + " signed it as caCertificate)", check(secure.url() + "/healthz").error());
        }
    }

    @Test
    void jsonPathsOnTheirOwn() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(List.of(42.0), JsonPath.parse("$").values(json.readTree("42")));
        assertEquals(List.of(3.0), JsonPath.parse("$[\"a b\"][0]").values(json.readTree("{\"a b\":[3]}")));
        assertEquals(List.of(), JsonPath.parse("$.x[*]").values(json.readTree("{\"x\":[]}")),
                "a wildcard over nothing is no data");
        assertEquals(List.of(Double.POSITIVE_INFINITY), JsonPath.parse("$.v").values(json.readTree("{\"v\":\"+Inf\"}")));
        assertEquals("the JSON path '$.' is not valid at character 3: expected a field name after '.'",
                assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("$.")).getMessage());
        assertEquals("the JSON path '$['a]' is not valid at character 2: expected a quoted field name closed by ']",
                assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("$['a]")).getMessage());
        assertEquals("the JSON path '$.a ~ 1' is not valid at character 4: expected the end, or == 'text'",
                assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("$.a ~ 1")).getMessage());
    }
}
