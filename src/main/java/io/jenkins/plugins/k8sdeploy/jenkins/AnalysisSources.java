package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.analysis.Analyses;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * The texts a canary's analyses are made from: the global configuration, the step's file and its inline YAML, as they
 * were when the canary started. Plain text with no secret in it (credentials are named by id), so a step execution
 * keeps it across a restart and makes the same analyses again; a global configuration changed meanwhile does not change
 * a running canary. Plain Java, tested without Jenkins.
 *
 * <p>Merge order: an analysis of the same name in a later source replaces the earlier one, so {@code analysisYaml}
 * wins over the {@code analysis} file, which wins over the global configuration. Providers (addresses and
 * credentials) come from the global configuration only: a workspace file never defines one, and {@code analysisYaml}
 * only when an administrator allows it (then it may also point a shared name at its own Prometheus).
 *
 * <pre>{@code
 * AnalysisSources s = new AnalysisSources(globalYaml, "k8s/analysis.yaml", fileText, inlineYaml, false);
 * Analyses a = s.config().build(lookup, plan.analyses());
 * }</pre>
 */
final class AnalysisSources implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How messages name the global configuration. */
    static final String GLOBAL = "The global analysis configuration (Manage Jenkins > System)";
    /** How messages name the step's inline YAML. */
    static final String INLINE = "analysisYaml";

    private final String global;
    private final String fileName;
    private final String file;
    private final String inline;
    private final boolean jobProviders;

    /**
     * @param global the global configuration's YAML, or null
     * @param fileName the step's {@code analysis} file as given, or null
     * @param file that file's text, or null
     * @param inline the step's {@code analysisYaml}, or null
     * @param jobProviders whether an administrator lets {@code analysisYaml} define providers (addresses and
     *     credentials); a workspace file never may
     */
    AnalysisSources(String global, String fileName, String file, String inline, boolean jobProviders) {
        this.global = global;
        this.fileName = fileName;
        this.file = file;
        this.inline = inline;
        this.jobProviders = jobProviders;
    }

    /**
     * The merged configuration; every mistake is named with its source ("analysisYaml has a mistake:
     * analyses.errors.metrics[0].interval: ...").
     */
    AnalysisConfig config() throws DeployException {
        AnalysisConfig fromFile = AnalysisConfig.parse(file, fileOrigin(fileName));
        AnalysisConfig fromStep = AnalysisConfig.parse(inline, INLINE);
        // Where metrics come from, and which credentials go there, is the administrators' to say: a job (or a pull
        // request's workspace) names analyses and queries, never a place to send a credential to.
        if (!fromFile.providers().isEmpty()) {
            throw new DeployException(fileOrigin(fileName) + " defines metric providers ("
                    + String.join(", ", fromFile.providers().keySet()) + "): a workspace file is never trusted with"
                    + " where metrics come from or which credentials go there. Define them in the global"
                    + " configuration (Manage Jenkins > System > Progressive delivery)"
                    + (jobProviders ? " or in analysisYaml" : "") + "; the file may define analyses that use them.");
        }
        if (!jobProviders && !fromStep.providers().isEmpty()) {
            throw new DeployException(INLINE + " defines metric providers (" + String.join(", ",
                    fromStep.providers().keySet()) + "): only the global configuration (Manage Jenkins > System >"
                    + " Progressive delivery) may, unless an administrator allows jobs to define providers there;"
                    + " analysisYaml may define analyses that use the global providers.");
        }
        return AnalysisConfig.merge(AnalysisConfig.parse(global, GLOBAL), fromFile, fromStep);
    }

    /**
     * The analyses the plan runs, with their providers.
     *
     * @param names the plan's {@code analysis NAME} steps; credentials are looked up only for the providers these use
     */
    Analyses build(AnalysisConfig.CredentialsLookup credentials, List<String> names) throws DeployException {
        return config().build(credentials, names);
    }

    /** True when the step gave neither a file nor inline YAML. */
    boolean stepGivesNone() {
        return fileName == null && blank(inline);
    }

    /** How messages name an analysis file: "The analysis file k8s/analysis.yaml". */
    static String fileOrigin(String fileName) {
        return "The analysis file " + fileName;
    }

    /**
     * What is wrong with a configuration on its own, for a form check; null when nothing is. {@code origin} may be
     * null (the form field says where the text is). With {@code whole},
     * every provider a metric names must be defined in it too (the global configuration, which the others build on);
     * without, only what the text alone can tell (a step's YAML may use the global providers).
     */
    static String problem(String yaml, String origin, boolean whole) {
        if (blank(yaml)) {
            return null;
        }
        try {
            AnalysisConfig c = AnalysisConfig.parse(yaml, origin);
            if (whole) {
                c.validate();
            }
            return null;
        } catch (DeployException e) {
            return e.getMessage();
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
