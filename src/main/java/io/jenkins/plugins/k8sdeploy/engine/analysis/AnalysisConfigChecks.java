package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.JudgedMetric;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.HttpCheckProvider;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.ProviderConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Providers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an {@link AnalysisConfig} as a whole says, beyond each setting alone: the providers its metrics name, and
 * HTTP check queries that must be URLs (relative ones against their provider's address).
 */
final class AnalysisConfigChecks {
    private final Map<String, ProviderConfig> providers;

    private AnalysisConfigChecks(Map<String, ProviderConfig> providers) {
        this.providers = providers;
    }

    /**
     * Metrics naming providers that are not defined (when {@code all}), and HTTP check queries that are no URL; each
     * place prefixed with where its analysis was defined when {@code withOrigin} (a merged configuration).
     */
    static List<String> problems(AnalysisConfig config, boolean all, boolean withOrigin) {
        AnalysisConfigChecks checks = new AnalysisConfigChecks(config.providers());
        List<String> out = new ArrayList<>();
        for (AnalysisSpec a : config.analyses()) {
            String origin = withOrigin ? config.analysisOrigin(a.name()) : null;
            String base = "analyses." + a.name();
            for (int i = 0; i < a.metrics().size(); i++) {
                MetricSpec m = a.metrics().get(i);
                checks.reference(out, all, origin, base + ".metrics[" + i + "]", m.provider(), m.query());
            }
            if (a.judge() != null) {
                for (int i = 0; i < a.judge().metrics().size(); i++) {
                    JudgedMetric m = a.judge().metrics().get(i);
                    checks.reference(out, all, origin, base + ".judge.metrics[" + i + "]", m.provider(),
                            m.query());
                    if (m.stableQuery() != null) {
                        checks.reference(out, false, origin, base + ".judge.metrics[" + i + "]", m.provider(),
                                m.stableQuery());
                    }
                }
            }
        }
        return out;
    }

    private void reference(List<String> out, boolean all, String origin, String path, String provider,
            String query) {
        if (provider == null) {
            return;
        }
        ProviderConfig p = providers.get(provider);
        if (p == null) {
            if (all) {
                out.add(place(origin, path + ".provider") + "'" + provider + "' is not defined under providers"
                        + " (defined: " + (providers.isEmpty() ? "none" : String.join(", ", providers.keySet()))
                        + ").");
            }
            return;
        }
        if (Providers.HTTP.equals(p.type()) && query != null && !query.isEmpty()) {
            String problem = HttpCheckProvider.problem(query, p.address());
            if (problem != null) {
                out.add(place(origin, path + ".query") + YamlFields.sentence(problem));
            }
        }
    }

    static String place(String origin, String path) {
        return (origin == null || origin.isEmpty() ? "" : origin + ": ") + path + ": ";
    }
}
