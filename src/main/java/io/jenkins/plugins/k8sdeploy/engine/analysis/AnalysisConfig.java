package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Credentials;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.MetricProvider;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.ProviderConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Providers;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Providers and named analyses, defined once in YAML and run by name from a canary plan ({@code analysis NAME}).
 *
 * <pre>
 * providers:
 *   prom: {type: prometheus, address: "http://prometheus.monitoring:9090", credentialsId: prom-token, timeout: 5s}
 *   smoke: {type: http}
 * analyses:
 *   error-rate:
 *     metrics:
 *     - name: errors
 *       provider: prom
 *       query: sum(rate(app_requests_total{service="${canaryService}",code=~"5.."}[1m])) / sum(rate(...[1m]))
 *       successCondition: result &lt; 0.05
 *       interval: 30s            # also count, initialDelay, failureLimit, inconclusiveLimit, consecutiveErrorLimit,
 *       count: 5                 # failureCondition, onNoData (error, failed, inconclusive or evaluate)
 *   latency:
 *     judge:                     # interval, rounds, minPoints, passScore, marginalScore, consecutiveErrorLimit
 *       interval: 1m
 *       rounds: 10
 *       metrics:
 *       - {name: latency, provider: prom, query: 'latency_seconds{track="${scope}"}[1m]', direction: increase,
 *          tolerance: 0.25, critical: true}   # also stableQuery, confidence, weight
 * </pre>
 *
 * <p>Providers: {@code type} ({@code prometheus} or {@code http}), {@code address} (required for Prometheus; for HTTP
 * checks a base for relative URLs), {@code credentialsId} (resolved by the caller: the Jenkins credentials store, an
 * environment variable on the command line; never in this text), {@code timeout} (default 10s) and
 * {@code caCertificate} (PEM). Every field of analyses and metrics, with its default, is described in
 * {@link MetricSpec} and {@link JudgeSpec}.
 *
 * <p>Read safely: SnakeYAML's safe constructor (maps, lists and scalars only; any other tag, such as a Java type, is
 * refused), at most 50 aliases (no "billion laughs"), nesting 100, 1 MiB, no duplicate keys. Every mistake is
 * reported at once, each with its place: {@code analyses.error-rate.metrics[0].interval: '5 sec' is not a duration.}
 *
 * <p>This class is the model, merged and built into {@link Analyses}; {@code AnalysisConfigParser} reads the YAML (its
 * typed settings through {@code YamlFields}) and {@code AnalysisConfigChecks} checks what the whole configuration says.
 *
 * <pre>{@code
 * AnalysisConfig config = AnalysisConfig.merge(AnalysisConfig.parse(globalYaml, "global configuration"),
 *         AnalysisConfig.parse(stepYaml, "step"));               // the step's definitions win
 * Analyses analyses = config.build(p -> Credentials.bearer(lookUp(p.credentialsId())));
 * }</pre>
 */
public final class AnalysisConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    /** A configuration larger than this is a mistake (a manifest or a data file given by error). */
    public static final int MAX_SOURCE_CHARS = 1024 * 1024;

    /** Nothing configured. */
    public static final AnalysisConfig EMPTY = new AnalysisConfig(Map.of(), Map.of(), Map.of(), Map.of());

    private final LinkedHashMap<String, ProviderConfig> providers;
    private final LinkedHashMap<String, AnalysisSpec> analyses;
    /** Where each provider and analysis was defined ("global configuration"), for messages; "" when unnamed. */
    private final LinkedHashMap<String, String> providerOrigins;
    private final LinkedHashMap<String, String> analysisOrigins;

    AnalysisConfig(Map<String, ProviderConfig> providers, Map<String, AnalysisSpec> analyses,
            Map<String, String> providerOrigins, Map<String, String> analysisOrigins) {
        this.providers = new LinkedHashMap<>(providers);
        this.analyses = new LinkedHashMap<>(analyses);
        this.providerOrigins = new LinkedHashMap<>(providerOrigins);
        this.analysisOrigins = new LinkedHashMap<>(analysisOrigins);
    }

    /** A configuration made in code rather than read from YAML. */
    public static AnalysisConfig of(Collection<ProviderConfig> providers, Collection<AnalysisSpec> analyses) {
        Map<String, ProviderConfig> p = new LinkedHashMap<>();
        providers.forEach(c -> p.put(c.name(), c));
        Map<String, AnalysisSpec> a = new LinkedHashMap<>();
        analyses.forEach(s -> a.put(s.name(), s));
        return new AnalysisConfig(p, a, Map.of(), Map.of());
    }

    /** Reads a configuration; see {@link #parse(String, String)}. */
    public static AnalysisConfig parse(String yaml) throws DeployException {
        return parse(yaml, null);
    }

    /**
     * Reads a configuration. Checks everything that can be checked in it alone: types, durations, names, conditions,
     * placeholders, limits, provider addresses and certificates, HTTP check URLs. Providers named by metrics but
     * defined elsewhere are checked by {@link #validate()} and {@link #build}, after {@link #merge}.
     *
     * @param origin where the text comes from, for messages ("global configuration", a file name), or null
     * @throws DeployException listing every mistake with its place
     */
    public static AnalysisConfig parse(String yaml, String origin) throws DeployException {
        return AnalysisConfigParser.parse(yaml, origin);
    }

    /**
     * One configuration from several: providers and analyses of a later one replace those of the same name in an
     * earlier one (a step's configuration over the global one).
     */
    public static AnalysisConfig merge(AnalysisConfig... configs) {
        Map<String, ProviderConfig> p = new LinkedHashMap<>();
        Map<String, AnalysisSpec> a = new LinkedHashMap<>();
        Map<String, String> po = new LinkedHashMap<>();
        Map<String, String> ao = new LinkedHashMap<>();
        for (AnalysisConfig c : configs) {
            if (c == null) {
                continue;
            }
            c.providers.forEach((k, v) -> {
                p.remove(k);
                p.put(k, v);
            });
            c.analyses.forEach((k, v) -> {
                a.remove(k);
                a.put(k, v);
            });
            po.putAll(c.providerOrigins);
            ao.putAll(c.analysisOrigins);
        }
        return new AnalysisConfig(p, a, po, ao);
    }

    /** The providers by name, in the order they were defined. */
    public Map<String, ProviderConfig> providers() {
        return Collections.unmodifiableMap(providers);
    }

    /** The analyses, in the order they were defined. */
    public List<AnalysisSpec> analyses() {
        return List.copyOf(analyses.values());
    }

    /** The analysis of that name, or null. */
    public AnalysisSpec analysis(String name) {
        return analyses.get(name);
    }

    /** Where the analysis of that name was defined ("global configuration"), "" when unnamed, or null. */
    String analysisOrigin(String name) {
        return analysisOrigins.get(name);
    }

    /** True when nothing is configured. */
    public boolean isEmpty() {
        return providers.isEmpty() && analyses.isEmpty();
    }

    /**
     * Checks what only a whole (merged) configuration can tell: every provider a metric names is defined, and HTTP
     * check queries are URLs. Needs no credentials, so a configuration form can call it.
     *
     * @throws DeployException listing every problem with its place
     */
    public void validate() throws DeployException {
        List<String> p = AnalysisConfigChecks.problems(this, true, true);
        if (!p.isEmpty()) {
            throw new DeployException("The analysis configuration has " + (p.size() == 1 ? "a mistake: "
                    : p.size() + " mistakes: ") + String.join(" ", p));
        }
    }

    /** Resolves a provider's {@link ProviderConfig#credentialsId()}; the engine knows no credentials store. */
    @FunctionalInterface
    public interface CredentialsLookup {
        /**
         * @return the credentials, or null when there are none of that id
         * @throws DeployException when they cannot be used (the message is shown as it is)
         */
        Credentials lookup(ProviderConfig provider) throws DeployException;
    }

    /** {@link #build(CredentialsLookup, Collection)} of every analysis. */
    public Analyses build(CredentialsLookup credentials) throws DeployException {
        return build(credentials, null);
    }

    /**
     * Makes the providers and the {@link Analyses} a canary runs. Credentials are looked up only for providers that
     * name a {@code credentialsId} and that the chosen analyses use.
     *
     * @param credentials resolves credentials ids; may be null when no provider names one
     * @param only the analyses the canary plan runs (so a provider only other analyses use needs no credentials
     *     here), or null for all
     * @throws DeployException listing every problem: unknown analyses or providers, unresolved credentials, unusable
     *     addresses or certificates
     */
    public Analyses build(CredentialsLookup credentials, Collection<String> only) throws DeployException {
        validate();
        List<AnalysisSpec> chosen = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (only == null) {
            chosen.addAll(analyses.values());
        } else {
            for (String name : new LinkedHashSet<>(only)) {
                AnalysisSpec a = analyses.get(name);
                if (a == null) {
                    problems.add("The canary plan runs analysis '" + name + "', but no analysis of that name is"
                            + " configured (configured: " + (analyses.isEmpty() ? "none"
                            : String.join(", ", analyses.keySet())) + ").");
                } else {
                    chosen.add(a);
                }
            }
        }
        Set<String> used = new TreeSet<>();
        chosen.forEach(a -> used.addAll(a.providers()));
        Map<String, MetricProvider> made = new LinkedHashMap<>();
        for (String name : used) {
            ProviderConfig p = providers.get(name);
            Credentials c = Credentials.NONE;
            if (p.credentialsId() != null) {
                Credentials found = credentials == null ? null : credentials.lookup(p);
                if (found == null) {
                    problems.add(AnalysisConfigChecks.place(providerOrigins.get(name),
                            "providers." + name + ".credentialsId")
                            + "no credentials '" + p.credentialsId() + "' were found.");
                    continue;
                }
                c = found;
            }
            try {
                made.put(name, Providers.create(p, c));
            } catch (DeployException e) {
                problems.add(AnalysisConfigChecks.place(providerOrigins.get(name), "providers." + name)
                        + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new DeployException(String.join(" ", problems));
        }
        return new Analyses(chosen, made);
    }
}
