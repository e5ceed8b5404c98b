package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.Direction;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.JudgedMetric;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.ProviderConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Providers;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.manifest.SafeYaml;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the YAML of an {@link AnalysisConfig} safely (see there) into providers and specs: the known settings at each
 * level, their types, and the specs' own checks, each problem put at its place; {@link AnalysisConfigChecks} adds what
 * the configuration as a whole says.
 */
final class AnalysisConfigParser {
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

    private final YamlFields f = new YamlFields();

    private AnalysisConfigParser() {}

    /** See {@link AnalysisConfig#parse(String, String)}. */
    static AnalysisConfig parse(String yaml, String origin) throws DeployException {
        String where = origin == null || origin.isBlank() ? "The analysis configuration" : origin.strip();
        String text = yaml == null ? "" : yaml;
        if (text.length() > AnalysisConfig.MAX_SOURCE_CHARS) {
            throw new DeployException(where + " is larger than 1 MiB, so it was not read. Expected providers and"
                    + " analyses, not data.");
        }
        Object document = load(text, where);
        AnalysisConfigParser r = new AnalysisConfigParser();
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        Map<String, AnalysisSpec> analyses = new LinkedHashMap<>();
        if (document != null && !"".equals(document)) {
            Map<String, Object> top = r.f.map(document, null);
            if (top == null) {
                throw new DeployException(where + " is not a mapping with providers and analyses: found "
                        + r.f.kind(document) + ".");
            }
            r.f.known(top, TOP, null);
            Map<String, Object> ps = r.f.map(top.get("providers"), "providers");
            if (ps != null) {
                ps.forEach((name, body) -> {
                    ProviderConfig p = r.provider(name, body);
                    if (p != null) {
                        providers.put(name, p);
                    }
                });
            }
            Map<String, Object> as = r.f.map(top.get("analyses"), "analyses");
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
        r.f.problems.addAll(AnalysisConfigChecks.problems(config, false, false));
        if (!r.f.problems.isEmpty()) {
            throw new DeployException(where + " has " + (r.f.problems.size() == 1 ? "a mistake: "
                    : r.f.problems.size() + " mistakes: ") + String.join(" ", r.f.problems));
        }
        return config;
    }

    private static Set<String> keys(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    private static Object load(String text, String where) throws DeployException {
        Object[] document = new Object[1];
        int[] documents = new int[1];
        try {
            SafeYaml.read(text, AnalysisConfig.MAX_SOURCE_CHARS, (value, line) -> {
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


    private ProviderConfig provider(String name, Object body) {
        String path = "providers." + name;
        if (!name.matches(NAME)) {
            f.problem(path, "a provider name must be letters, digits, '.', '_' or '-', starting with a letter"
                    + " or digit");
        }
        Map<String, Object> m = f.map(body, path);
        if (m == null) {
            if (body == null) {
                f.problem(path, "expected a mapping with at least a type (" + String.join(" or ", Providers.TYPES)
                        + ")");
            }
            return null;
        }
        f.known(m, PROVIDER, path);
        ProviderConfig p = new ProviderConfig(name, f.text(m, "type", path), f.text(m, "address", path),
                f.text(m, "credentialsId", path), f.duration(m, "timeout", path), f.text(m, "caCertificate", path));
        Providers.problems(p).forEach((field, problem) -> f.problem(path + "." + field, problem));
        return p;
    }

    private AnalysisSpec analysis(String name, Object body) {
        String path = "analyses." + name;
        Map<String, Object> m = f.map(body, path);
        if (m == null) {
            if (body == null) {
                f.problem(path, "expected a mapping with metrics, a judge, or both");
            }
            return null;
        }
        f.known(m, ANALYSIS, path);
        List<MetricSpec> metrics = new ArrayList<>();
        List<Map<String, Object>> items = f.list(m, "metrics", path);
        for (int i = 0; i < items.size(); i++) {
            metrics.add(items.get(i) == null ? MetricSpec.of(null, null, null)
                    : metric(items.get(i), path + ".metrics[" + i + "]"));
        }
        JudgeSpec judge = null;
        List<Map<String, Object>> judged = List.of();
        Map<String, Object> j = f.map(m.get("judge"), path + ".judge");
        if (j != null) {
            judged = f.list(j, "metrics", path + ".judge");
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
                p.forEach(s -> f.problem(at, s.replaceFirst("^Metric '[^']*': ", "")));
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
                    p.forEach(s -> f.problem(at, s.replaceFirst("^Judged metric '[^']*': ", "")));
                }
            }
            rest.removeAll(judgeLevel);
            judgeLevel.forEach(s -> f.problem(path + ".judge", s.replaceFirst("^Judge: ", "")));
        }
        rest.forEach(s -> f.problem(path, s));
        return spec;
    }

    private MetricSpec metric(Map<String, Object> m, String path) {
        f.known(m, METRIC, path);
        MetricSpec d = MetricSpec.of(null, null, null);
        return new MetricSpec(f.text(m, "name", path), f.text(m, "provider", path), f.text(m, "query", path),
                f.text(m, "successCondition", path), f.text(m, "failureCondition", path),
                or(f.duration(m, "interval", path), d.interval()), or(f.whole(m, "count", path), d.count()),
                or(f.duration(m, "initialDelay", path), d.initialDelay()),
                or(f.whole(m, "failureLimit", path), d.failureLimit()),
                or(f.whole(m, "inconclusiveLimit", path), d.inconclusiveLimit()),
                or(f.whole(m, "consecutiveErrorLimit", path), d.consecutiveErrorLimit()),
                or(f.choice(m, "onNoData", path, MetricSpec.NoData.class), d.onNoData()));
    }

    private JudgeSpec judge(Map<String, Object> m, List<Map<String, Object>> items, String path) {
        f.known(m, JUDGE, path);
        List<JudgedMetric> metrics = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            metrics.add(items.get(i) == null ? JudgedMetric.of(null, null, null)
                    : judged(items.get(i), path + ".metrics[" + i + "]"));
        }
        JudgeSpec d = JudgeSpec.of();
        return new JudgeSpec(metrics, or(f.duration(m, "interval", path), d.interval()),
                or(f.whole(m, "rounds", path), d.rounds()), or(f.whole(m, "minPoints", path), d.minPoints()),
                or(f.number(m, "passScore", path), d.passScore()),
                or(f.number(m, "marginalScore", path), d.marginalScore()),
                or(f.whole(m, "consecutiveErrorLimit", path), d.consecutiveErrorLimit()));
    }

    private JudgedMetric judged(Map<String, Object> m, String path) {
        f.known(m, JUDGED, path);
        JudgedMetric d = JudgedMetric.of(null, null, null);
        return new JudgedMetric(f.text(m, "name", path), f.text(m, "provider", path), f.text(m, "query", path),
                f.text(m, "stableQuery", path), or(f.choice(m, "direction", path, Direction.class), d.direction()),
                or(f.number(m, "tolerance", path), d.tolerance()),
                or(f.number(m, "confidence", path), d.confidence()),
                f.bool(m, "critical", path, d.critical()), or(f.number(m, "weight", path), d.weight()));
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }
}
