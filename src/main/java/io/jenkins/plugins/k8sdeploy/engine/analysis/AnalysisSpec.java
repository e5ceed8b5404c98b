package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A named analysis, what {@code analysis NAME} in a canary plan runs: metrics with conditions, a statistical judge,
 * or both. It ends when every counted metric has its {@code count} measurements and the judge its rounds; the worst
 * part decides (see {@link AnalysisRun}).
 *
 * <pre>{@code
 * new AnalysisSpec("error-rate", List.of(
 *         MetricSpec.of("errors", "prometheus", "...").withSuccessCondition("result < 0.05")), null);
 * }</pre>
 *
 * @param judge the statistical judge, or null
 */
public record AnalysisSpec(String name, List<MetricSpec> metrics, JudgeSpec judge) implements Serializable {

    public AnalysisSpec {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /** Checks everything that can be checked before a canary starts; one message lists every problem. */
    public void validate() throws DeployException {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new DeployException("Analysis '" + name + "': " + String.join(" ", p));
        }
    }

    List<String> problems() {
        List<String> out = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            out.add("An analysis name must be letters, digits, '.', '_' or '-' (as in 'analysis NAME' of a canary"
                    + " plan); got '" + name + "'.");
        }
        if (metrics.isEmpty() && judge == null) {
            out.add("It has no metrics and no judge.");
        }
        Set<String> names = new HashSet<>();
        for (MetricSpec m : metrics) {
            if (m.name() != null && !names.add(m.name())) {
                out.add("Metric '" + m.name() + "' is there twice; metric names must differ.");
            }
            out.addAll(m.problems());
        }
        if (judge != null) {
            out.addAll(judge.problems());
        }
        if (judge == null && !metrics.isEmpty() && metrics.stream().allMatch(m -> m.count() == 0)) {
            out.add("Every metric has count 0 (run as long as the others), so it would never end; give one a"
                    + " count.");
        }
        return out;
    }

    /** The provider names this analysis uses. */
    Set<String> providers() {
        Set<String> out = new HashSet<>();
        metrics.forEach(m -> out.add(m.provider()));
        if (judge != null) {
            judge.metrics().forEach(m -> out.add(m.provider()));
        }
        out.remove(null);
        return out;
    }
}
