package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.Direction;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.JudgedMetric;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Credentials;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.HttpCheckProvider;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.MetricProvider;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.ProviderConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Providers;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import io.jenkins.plugins.k8sdeploy.engine.manifest.SafeYaml;
import java.io.Serializable;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.error.YAMLException;

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

    private static final Set<String> TOP = keys("providers", "analyses");
    private static final Set<String> PROVIDER = keys("type", "address", "credentialsId", "timeout", "caCertificate");
    private static final Set<String> ANALYSIS = keys("metrics", "judge");
    private static final Set<String> METRIC = keys("name", "provider", "query", "successCondition",
            "failureCondition", "interval", "count", "initialDelay", "failureLimit", "inconclusiveLimit",
            "consecutiveErrorLimit", "onNoData");
    private static final Set<String> JUDGE = keys("metrics", "interval", "rounds", "minPoints", "passScore",
            "marginalScore", "consecutiveErrorLimit");
    private static final Set<String> JUDGED = keys("name", "provider", "query", "stableQuery", "direction",
            "tolerance", "confidence", "critical", "weight");
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]*";

    private final LinkedHashMap<String, ProviderConfig> providers;
    private final LinkedHashMap<String, AnalysisSpec> analyses;
    /** Where each provider and analysis was defined ("global configuration"), for messages; "" when unnamed. */
    private final LinkedHashMap<String, String> providerOrigins;
    private final LinkedHashMap<String, String> analysisOrigins;

    private AnalysisConfig(Map<String, ProviderConfig> providers, Map<String, AnalysisSpec> analyses,
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
        String where = origin == null || origin.isBlank() ? "The analysis configuration" : origin.strip();
        String text = yaml == null ? "" : yaml;
        if (text.length() > MAX_SOURCE_CHARS) {
            throw new DeployException(where + " is larger than 1 MiB, so it was not read. Expected providers and"
                    + " analyses, not data.");
        }
        Object document = load(text, where);
        Reader r = new Reader();
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        Map<String, AnalysisSpec> analyses = new LinkedHashMap<>();
        if (document != null && !"".equals(document)) {
            Map<String, Object> top = r.map(document, null);
            if (top == null) {
                throw new DeployException(where + " is not a mapping with providers and analyses: found "
                        + r.kind(document) + ".");
            }
            r.known(top, TOP, null);
            Map<String, Object> ps = r.map(top.get("providers"), "providers");
            if (ps != null) {
                ps.forEach((name, body) -> {
                    ProviderConfig p = r.provider(name, body);
                    if (p != null) {
                        providers.put(name, p);
                    }
                });
            }
            Map<String, Object> as = r.map(top.get("analyses"), "analyses");
            if (as != null) {
                as.forEach((name, body) -> {
                    AnalysisSpec a = r.analysis(name, body);
                    if (a != null) {
                        analyses.put(name, a);
                    }
                });
            }
        }
        String tag = origin == null || origin.isBlank() ? "" : origin.strip();
        Map<String, String> po = new LinkedHashMap<>();
        providers.keySet().forEach(k -> po.put(k, tag));
        Map<String, String> ao = new LinkedHashMap<>();
        analyses.keySet().forEach(k -> ao.put(k, tag));
        AnalysisConfig config = new AnalysisConfig(providers, analyses, po, ao);
        r.problems.addAll(config.referenceProblems(false, false));
        if (!r.problems.isEmpty()) {
            throw new DeployException(where + " has " + (r.problems.size() == 1 ? "a mistake: "
                    : r.problems.size() + " mistakes: ") + String.join(" ", r.problems));
        }
        return config;
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
        List<String> p = referenceProblems(true, true);
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
                    problems.add(place(providerOrigins.get(name), "providers." + name + ".credentialsId")
                            + "no credentials '" + p.credentialsId() + "' were found.");
                    continue;
                }
                c = found;
            }
            try {
                made.put(name, Providers.create(p, c));
            } catch (DeployException e) {
                problems.add(place(providerOrigins.get(name), "providers." + name) + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new DeployException(String.join(" ", problems));
        }
        return new Analyses(chosen, made);
    }

    /**
     * Metrics naming providers that are not defined (when {@code all}), and HTTP check queries that are no URL; each
     * place prefixed with where its analysis was defined when {@code withOrigin} (a merged configuration).
     */
    private List<String> referenceProblems(boolean all, boolean withOrigin) {
        List<String> out = new ArrayList<>();
        for (AnalysisSpec a : analyses.values()) {
            String origin = withOrigin ? analysisOrigins.get(a.name()) : null;
            String base = "analyses." + a.name();
            for (int i = 0; i < a.metrics().size(); i++) {
                MetricSpec m = a.metrics().get(i);
                reference(out, all, origin, base + ".metrics[" + i + "]", m.provider(), m.query());
            }
            if (a.judge() != null) {
                for (int i = 0; i < a.judge().metrics().size(); i++) {
                    JudgedMetric m = a.judge().metrics().get(i);
                    reference(out, all, origin, base + ".judge.metrics[" + i + "]", m.provider(), m.query());
                    if (m.stableQuery() != null) {
                        reference(out, false, origin, base + ".judge.metrics[" + i + "]", m.provider(),
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
                out.add(place(origin, path + ".query") + sentence(problem));
            }
        }
    }

    private static String place(String origin, String path) {
        return (origin == null || origin.isEmpty() ? "" : origin + ": ") + path + ": ";
    }

    private static String sentence(String s) {
        return s.endsWith(".") ? s : s + ".";
    }

    private static Set<String> keys(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    private static Object load(String text, String where) throws DeployException {
        Object[] document = new Object[1];
        int[] documents = new int[1];
        try {
            SafeYaml.read(text, MAX_SOURCE_CHARS, (value, line) -> {
                if (++documents[0] > 1) {
                    throw new DeployException(where + " holds more than one YAML document (line " + line
                            + "); expected one, with providers and analyses.");
                }
                document[0] = value;
            });
        } catch (YAMLException e) {
            if (e instanceof SafeYaml.TooLarge tooLarge) {
                throw new DeployException(where + " " + tooLarge.what() + ", so it was not read.");
            }
            if (SafeYaml.isAliasBomb(e)) {
                throw new DeployException(where + " uses more than " + SafeYaml.MAX_ALIASES + " YAML aliases, the mark"
                        + " of an alias bomb (\"billion laughs\"), so it was not read.");
            }
            throw new DeployException(where + " is not valid YAML: " + SafeYaml.problem(e) + ".");
        }
        return document[0];
    }

    /** Reads the loaded maps, lists and scalars into specs, collecting every problem with its place. */
    private static final class Reader {
        final List<String> problems = new ArrayList<>();

        void problem(String path, String message) {
            problems.add((path == null ? "" : path + ": ") + sentence(message));
        }

        String kind(Object v) {
            if (v instanceof Map<?, ?>) {
                return "a mapping";
            }
            if (v instanceof List<?>) {
                return "a list";
            }
            if (v instanceof String s) {
                return "the text '" + abbreviate(s) + "'";
            }
            return v == null ? "nothing" : "the " + (v instanceof Boolean ? "boolean" : v instanceof Number
                    ? "number" : "value") + " " + abbreviate(String.valueOf(v));
        }

        /** A mapping with text keys, null when absent (or, after a problem is noted, of the wrong kind). */
        Map<String, Object> map(Object v, String path) {
            if (v == null) {
                return null;
            }
            if (!(v instanceof Map<?, ?> m)) {
                if (path != null) {
                    problem(path, "expected a mapping, found " + kind(v));
                }
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, value) -> out.put(String.valueOf(k), value));
            return out;
        }

        void known(Map<String, Object> m, Set<String> keys, String path) {
            for (String k : m.keySet()) {
                if (!keys.contains(k)) {
                    String guess = closest(k, keys);
                    problem(path == null ? k : path + "." + k, "unknown setting"
                            + (guess == null ? "" : "; did you mean " + guess + "?") + " (known here: "
                            + String.join(", ", keys) + ")");
                }
            }
        }

        String text(Map<String, Object> m, String key, String path) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof String s) {
                return s;
            }
            if (v instanceof Number || v instanceof Boolean) {
                return String.valueOf(v);
            }
            problem(path + "." + key, "expected text, found " + kind(v));
            return null;
        }

        Integer whole(Map<String, Object> m, String key, String path) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if ((v instanceof Integer || v instanceof Long || v instanceof BigInteger)
                    && ((Number) v).longValue() == ((Number) v).doubleValue()
                    && Math.abs(((Number) v).longValue()) <= Integer.MAX_VALUE) {
                return ((Number) v).intValue();
            }
            problem(path + "." + key, "expected a whole number, found " + kind(v));
            return null;
        }

        Double number(Map<String, Object> m, String key, String path) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Number n && !(v instanceof BigInteger)) {
                return n.doubleValue();
            }
            problem(path + "." + key, "expected a number, found " + kind(v));
            return null;
        }

        /** The boolean at {@code key}, else {@code otherwise} (also when it is not a boolean: that is a problem). */
        boolean bool(Map<String, Object> m, String key, String path, boolean otherwise) {
            Object v = m.get(key);
            if (v == null) {
                return otherwise;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            problem(path + "." + key, "expected true or false, found " + kind(v));
            return otherwise;
        }

        Duration duration(Map<String, Object> m, String key, String path) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                problem(path + "." + key, "expected a duration such as 30s, found " + kind(v));
                return null;
            }
            try {
                return Durations.parse(String.valueOf(v));
            } catch (DeployException e) {
                problem(path + "." + key, e.getMessage());
                return null;
            }
        }

        <E extends Enum<E>> E choice(Map<String, Object> m, String key, String path, Class<E> type) {
            String v = text(m, key, path);
            if (v == null) {
                return null;
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                String name = e.name().toLowerCase(Locale.ROOT);
                names.add(name);
                if (name.equalsIgnoreCase(v.strip())) {
                    return e;
                }
            }
            problem(path + "." + key, "'" + abbreviate(v) + "' is not one of " + String.join(", ", names));
            return null;
        }

        /**
         * The entries of a list of mappings; an entry that is no mapping is noted and given as null, so the others
         * keep their places.
         */
        List<Map<String, Object>> list(Map<String, Object> m, String key, String path) {
            Object v = m.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> items)) {
                problem(path + "." + key, "expected a list, found " + kind(v));
                return List.of();
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String at = path + "." + key + "[" + i + "]";
                if (items.get(i) == null) {
                    problem(at, "the entry is empty");
                }
                out.add(map(items.get(i), at));
            }
            return out;
        }

        ProviderConfig provider(String name, Object body) {
            String path = "providers." + name;
            if (!name.matches(NAME)) {
                problem(path, "a provider name must be letters, digits, '.', '_' or '-', starting with a letter"
                        + " or digit");
            }
            Map<String, Object> m = map(body, path);
            if (m == null) {
                if (body == null) {
                    problem(path, "expected a mapping with at least a type (" + String.join(" or ", Providers.TYPES)
                            + ")");
                }
                return null;
            }
            known(m, PROVIDER, path);
            ProviderConfig p = new ProviderConfig(name, text(m, "type", path), text(m, "address", path),
                    text(m, "credentialsId", path), duration(m, "timeout", path), text(m, "caCertificate", path));
            Providers.problems(p).forEach((field, problem) -> problem(path + "." + field, problem));
            return p;
        }

        AnalysisSpec analysis(String name, Object body) {
            String path = "analyses." + name;
            Map<String, Object> m = map(body, path);
            if (m == null) {
                if (body == null) {
                    problem(path, "expected a mapping with metrics, a judge, or both");
                }
                return null;
            }
            known(m, ANALYSIS, path);
            List<MetricSpec> metrics = new ArrayList<>();
            List<Map<String, Object>> items = list(m, "metrics", path);
            for (int i = 0; i < items.size(); i++) {
                metrics.add(items.get(i) == null ? MetricSpec.of(null, null, null)
                        : metric(items.get(i), path + ".metrics[" + i + "]"));
            }
            JudgeSpec judge = null;
            List<Map<String, Object>> judged = List.of();
            Map<String, Object> j = map(m.get("judge"), path + ".judge");
            if (j != null) {
                judged = list(j, "metrics", path + ".judge");
                judge = judge(j, judged, path + ".judge");
            }
            AnalysisSpec spec = new AnalysisSpec(name, metrics, judge);
            // The specs' own checks, each put at its place: metrics, then the judge, then the analysis as a whole.
            List<String> rest = new ArrayList<>(spec.problems());
            for (int i = 0; i < metrics.size(); i++) {
                List<String> p = metrics.get(i).problems();
                rest.removeAll(p);
                String at = path + ".metrics[" + i + "]";
                if (items.get(i) != null) {
                    p.forEach(s -> problem(at, s.replaceFirst("^Metric '[^']*': ", "")));
                }
            }
            if (judge != null) {
                List<String> judgeLevel = new ArrayList<>(judge.problems());
                for (int i = 0; i < judge.metrics().size(); i++) {
                    List<String> p = judge.metrics().get(i).problems();
                    rest.removeAll(p);
                    judgeLevel.removeAll(p);
                    String at = path + ".judge.metrics[" + i + "]";
                    if (judged.get(i) != null) {
                        p.forEach(s -> problem(at, s.replaceFirst("^Judged metric '[^']*': ", "")));
                    }
                }
                rest.removeAll(judgeLevel);
                judgeLevel.forEach(s -> problem(path + ".judge", s.replaceFirst("^Judge: ", "")));
            }
            rest.forEach(s -> problem(path, s));
            return spec;
        }

        MetricSpec metric(Map<String, Object> m, String path) {
            known(m, METRIC, path);
            MetricSpec d = MetricSpec.of(null, null, null);
            return new MetricSpec(text(m, "name", path), text(m, "provider", path), text(m, "query", path),
                    text(m, "successCondition", path), text(m, "failureCondition", path),
                    or(duration(m, "interval", path), d.interval()), or(whole(m, "count", path), d.count()),
                    or(duration(m, "initialDelay", path), d.initialDelay()),
                    or(whole(m, "failureLimit", path), d.failureLimit()),
                    or(whole(m, "inconclusiveLimit", path), d.inconclusiveLimit()),
                    or(whole(m, "consecutiveErrorLimit", path), d.consecutiveErrorLimit()),
                    or(choice(m, "onNoData", path, MetricSpec.NoData.class), d.onNoData()));
        }

        JudgeSpec judge(Map<String, Object> m, List<Map<String, Object>> items, String path) {
            known(m, JUDGE, path);
            List<JudgedMetric> metrics = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                metrics.add(items.get(i) == null ? JudgedMetric.of(null, null, null)
                        : judged(items.get(i), path + ".metrics[" + i + "]"));
            }
            JudgeSpec d = JudgeSpec.of();
            return new JudgeSpec(metrics, or(duration(m, "interval", path), d.interval()),
                    or(whole(m, "rounds", path), d.rounds()), or(whole(m, "minPoints", path), d.minPoints()),
                    or(number(m, "passScore", path), d.passScore()),
                    or(number(m, "marginalScore", path), d.marginalScore()),
                    or(whole(m, "consecutiveErrorLimit", path), d.consecutiveErrorLimit()));
        }

        JudgedMetric judged(Map<String, Object> m, String path) {
            known(m, JUDGED, path);
            JudgedMetric d = JudgedMetric.of(null, null, null);
            return new JudgedMetric(text(m, "name", path), text(m, "provider", path), text(m, "query", path),
                    text(m, "stableQuery", path), or(choice(m, "direction", path, Direction.class), d.direction()),
                    or(number(m, "tolerance", path), d.tolerance()),
                    or(number(m, "confidence", path), d.confidence()),
                    bool(m, "critical", path, d.critical()), or(number(m, "weight", path), d.weight()));
        }

        private static <T> T or(T value, T otherwise) {
            return value != null ? value : otherwise;
        }
    }

    /** The known key closest to a misspelt one, or null when none is close. */
    static String closest(String key, Set<String> keys) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : keys) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, key.length() / 3)) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
