package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.analysis.Analyses;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Credentials;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Where a canary's analyses come from and which definition wins: runs without Jenkins. */
class AnalysisSourcesTest {

    static final String GLOBAL = """
            providers:
              prom: {type: prometheus, address: "http://prometheus.monitoring:9090", credentialsId: prom-token}
              other: {type: prometheus, address: "http://other.monitoring:9090", credentialsId: other-token}
            analyses:
              error-rate:
                metrics:
                - {name: errors, provider: prom, query: global_query, successCondition: result < 0.05}
              unused:
                metrics:
                - {name: u, provider: other, query: up, successCondition: result == 1}
            """;

    /** An analysis of that name measuring {@code query} with {@code provider}. */
    static String analysis(String name, String provider, String query) {
        return """
                analyses:
                  %s:
                    metrics:
                    - {name: errors, provider: %s, query: %s, successCondition: result < 0.05}
                """.formatted(name, provider, query);
    }

    static String query(AnalysisConfig c, String analysis) {
        return c.analysis(analysis).metrics().get(0).query();
    }

    @ParameterizedTest(name = "global {0}, file {1}, inline {2}: {3} wins")
    @CsvSource({
        "true, true, true, inline_query",
        "true, true, false, file_query",
        "true, false, true, inline_query",
        "true, false, false, global_query",
        "false, true, false, file_query",
    })
    void inlineWinsOverTheFileWhichWinsOverTheGlobalConfigurationForTheSameName(boolean global, boolean file,
            boolean inline, String winner) throws DeployException {
        AnalysisSources s = new AnalysisSources(global ? GLOBAL : null, file ? "k8s/analysis.yaml" : null,
                file ? analysis("error-rate", "prom", "file_query") : null,
                inline ? analysis("error-rate", "prom", "inline_query") : null, false);

        assertEquals(winner, query(s.config(), "error-rate"));
    }

    static final String OWN_PROVIDER = """
            providers:
              prom: {type: prometheus, address: "http://team.monitoring:9090"}
            """;

    @Test
    void aStepMayRedefineAProviderByNameOnlyWhenAnAdministratorAllowsIt() throws DeployException {
        AnalysisSources s = new AnalysisSources(GLOBAL, null, null, OWN_PROVIDER
                + analysis("latency", "prom", "latency_query"), true);

        AnalysisConfig c = s.config();

        c.validate();
        assertEquals("http://team.monitoring:9090", c.providers().get("prom").address(), "the step's provider wins");
        assertNull(c.providers().get("prom").credentialsId(), "nothing of the global definition is kept");
        assertEquals(List.of("error-rate", "unused", "latency"), c.analyses().stream().map(a -> a.name()).toList());
    }

    /**
     * Where queries go, and which credentials go with them, is the administrators' to say: analysisYaml may not
     * define a provider unless they allow it, and a workspace file (a pull request from a fork can write one) never.
     */
    @Test
    void providersComeFromTheGlobalConfigurationUnlessAllowedAndNeverFromAWorkspaceFile() {
        String inline = OWN_PROVIDER + analysis("latency", "prom", "q");
        assertEquals("analysisYaml defines metric providers (prom): only the global configuration (Manage Jenkins >"
                + " System > Progressive delivery) may, unless an administrator allows jobs to define providers there;"
                + " analysisYaml may define analyses that use the global providers.", assertThrows(
                        DeployException.class, () -> new AnalysisSources(GLOBAL, null, null, inline, false).config())
                        .getMessage());
        for (boolean allowed : new boolean[] {false, true}) {
            String message = assertThrows(DeployException.class, () -> new AnalysisSources(GLOBAL, "k8s/a.yaml",
                    inline, null, allowed).config()).getMessage();
            assertTrue(message.startsWith("The analysis file k8s/a.yaml defines metric providers (prom): a workspace"
                    + " file is never trusted"), message);
        }
    }

    @Test
    void credentialsAreLookedUpOnlyForProvidersThePlanUses() throws DeployException {
        List<String> asked = new ArrayList<>();
        AnalysisSources s = new AnalysisSources(GLOBAL, null, null, null, false);

        Analyses a = s.build(p -> {
            asked.add(p.credentialsId());
            return Credentials.bearer("t");
        }, List.of("error-rate"));

        assertEquals(List.of("prom-token"), asked, "'unused' measures with 'other', which the plan never runs");
        assertEquals(Set.of("error-rate"), a.names());
    }

    static final String NOT_A_DURATION = "'5 sec' is not a duration. Expected a number with s, m or h, such as 90s, 10m"
            + " or 1h.";

    @Test
    void eachMistakeNamesItsSource() {
        String broken = analysis("error-rate", "prom", "q").replace("}", ", interval: 5 sec}");

        assertEquals("analysisYaml has a mistake: analyses.error-rate.metrics[0].interval: " + NOT_A_DURATION,
                assertThrows(DeployException.class,
                        () -> new AnalysisSources(GLOBAL, null, null, broken, false).config()).getMessage());
        assertEquals("The analysis file k8s/analysis.yaml has a mistake: analyses.error-rate.metrics[0].interval: "
                + NOT_A_DURATION, assertThrows(
                        DeployException.class, () -> new AnalysisSources(null, "k8s/analysis.yaml", broken, null, false)
                                .config()).getMessage());
        assertTrue(assertThrows(DeployException.class,
                () -> new AnalysisSources(broken, null, null, null, false).config())
                .getMessage().startsWith("The global analysis configuration (Manage Jenkins > System) has a mistake:"));
        assertEquals("The analysis configuration has a mistake: analysisYaml: analyses.latency.metrics[0].provider:"
                + " 'thanos' is not defined under providers (defined: prom, other).", assertThrows(
                        DeployException.class, () -> new AnalysisSources(GLOBAL, null, null,
                                analysis("latency", "thanos", "q"), false).build(null, List.of("latency"))).getMessage());
    }

    @Test
    void theGlobalFormCheckWantsEveryProviderDefinedWhileAStepsChecksTheTextAlone() {
        String usesGlobalProvider = analysis("latency", "prom", "q");

        assertEquals("The analysis configuration has a mistake: analyses.latency.metrics[0].provider: 'prom' is not"
                + " defined under providers (defined: none).", AnalysisSources.problem(usesGlobalProvider, null, true));
        assertNull(AnalysisSources.problem(usesGlobalProvider, null, false));
        assertNull(AnalysisSources.problem(GLOBAL, null, true));
        assertNull(AnalysisSources.problem("  \n", null, true), "blank is no configuration");
        assertEquals("The analysis configuration has a mistake: analyses.latency.metrics[0].interval: "
                + NOT_A_DURATION, AnalysisSources.problem(usesGlobalProvider.replace("}", ", interval: 5 sec}"), null,
                        false));
    }

    @Test
    void theSourcesSurviveSerializationAsPlainText() throws Exception {
        AnalysisSources s = new AnalysisSources(GLOBAL, "k8s/a.yaml", analysis("file-only", "prom", "f"),
                analysis("error-rate", "prom", "inline_query"), false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }

        AnalysisSources back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (AnalysisSources) in.readObject();
        }

        assertEquals("inline_query", query(back.config(), "error-rate"));
        assertEquals("f", query(back.config(), "file-only"));
    }
}
