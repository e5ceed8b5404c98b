package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${...}} placeholders of queries: {@code ${namespace}}, {@code ${stableService}}, {@code ${canaryService}},
 * {@code ${app}}, {@code ${stableHash}} for every query, and {@code ${service}}, {@code ${scope}} in judged queries
 * (the side's Service and {@code canary} or {@code stable}). {@code $${x}} stays literally {@code ${x}}.
 */
final class Templates {
    static final Set<String> CANARY = Set.of("namespace", "stableService", "canaryService", "app", "stableHash");
    static final Set<String> JUDGED = Set.of("namespace", "stableService", "canaryService", "app", "stableHash",
            "service", "scope");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$?\\$\\{([^}]*)}");

    private Templates() {}

    /** The placeholders of a template that are not in {@code known}. */
    static List<String> unknown(String template, Set<String> known) {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template == null ? "" : template);
        while (m.find()) {
            if (!m.group().startsWith("$$") && !known.contains(m.group(1))) {
                out.add("${" + m.group(1) + "}");
            }
        }
        return out;
    }

    /** What the placeholders stand for in a canary; values are null when this canary has no such thing. */
    static Map<String, String> values(CanaryServices s) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("namespace", s.namespace());
        v.put("stableService", s.stableService());
        v.put("canaryService", s.canaryService());
        String app = s.stablePodLabels().get("app.kubernetes.io/name");
        if (app == null) {
            app = s.stablePodLabels().get("app");
        }
        v.put("app", app != null ? app : s.stableService());
        v.put("stableHash", s.stablePodLabels().get("pod-template-hash"));
        return v;
    }

    /**
     * Replaces the placeholders.
     *
     * @param what says whose query it is, for the message ("metric 'error-rate'")
     * @throws DeployException when a placeholder has no value in this canary
     */
    static String substitute(String template, Map<String, String> values, String what) throws DeployException {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().startsWith("$$")) {
                replacement = m.group().substring(1);
            } else {
                replacement = values.get(m.group(1));
                if (replacement == null) {
                    throw new DeployException("The query of " + what + " uses ${" + m.group(1) + "}, but this canary"
                            + " has none" + (m.group(1).equals("canaryService") || m.group(1).equals("stableService")
                            || m.group(1).equals("service") ? " (a canary has Services of its own only with a traffic"
                            + " router, or when stableService names one)" : "") + ". Known here: "
                            + values.entrySet().stream().filter(e -> e.getValue() != null)
                                    .map(e -> "${" + e.getKey() + "}=" + e.getValue()).toList() + ".");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
