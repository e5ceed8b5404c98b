package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.MetricProvider;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analyses a canary plan can run by name, with the providers they measure with: what the canary engine, the
 * command line and the Pipeline step hand to the canary as its {@link AnalysisPort}. Everything is checked when it
 * is built (conditions parse, placeholders exist, providers are known, limits make sense), so a mistake stops the
 * deploy before the canary starts.
 *
 * <pre>{@code
 * Analyses analyses = new Analyses(List.of(new AnalysisSpec("error-rate", List.of(
 *         MetricSpec.of("errors", "prometheus", "...${canaryService}...").withSuccessCondition("result < 0.05")),
 *         null)), Map.of("prometheus", prometheusProvider));
 * canaryEngine.start(request, files, connection, analyses, log::println);
 *
 * // a run read back from disk (Jenkins restarted, or saved the step between polls):
 * run = analyses.resume(run);   // re-attaches the providers, then poll as before
 * }</pre>
 *
 * <p>Not serializable on purpose: it holds the providers (connections, credentials). A {@link AnalysisRun} is
 * serializable and gets the providers back through {@link #resume(AnalysisPort.Run)}.
 */
public final class Analyses implements AnalysisPort {
    private final Map<String, AnalysisSpec> analyses = new LinkedHashMap<>();
    private final Map<String, MetricProvider> providers;

    /**
     * @throws DeployException listing every problem of every analysis, including providers no one configured
     */
    public Analyses(List<AnalysisSpec> analyses, Map<String, MetricProvider> providers) throws DeployException {
        this.providers = Map.copyOf(providers);
        List<String> problems = new ArrayList<>();
        for (AnalysisSpec a : analyses) {
            if (this.analyses.putIfAbsent(a.name(), a) != null) {
                problems.add("Analysis '" + a.name() + "' is defined twice.");
            }
            List<String> p = new ArrayList<>(a.problems());
            for (String provider : new TreeSet<>(a.providers())) {
                if (!this.providers.containsKey(provider)) {
                    p.add("It measures with provider '" + provider + "', which is not configured (configured: "
                            + (this.providers.isEmpty() ? "none" : String.join(", ", new TreeSet<>(
                                    this.providers.keySet()))) + ").");
                }
            }
            if (!p.isEmpty()) {
                problems.add("Analysis '" + a.name() + "': " + String.join(" ", p));
            }
        }
        if (!problems.isEmpty()) {
            throw new DeployException(String.join(" ", problems));
        }
    }

    /**
     * Starts the named analysis now: its queries get the canary's names filled in and the first measurements are due
     * at once (metrics) or after one interval (the judge).
     *
     * @throws DeployException when no analysis has that name, or a query uses a placeholder this canary has no value
     *     for (e.g. {@code ${canaryService}} without a traffic router)
     */
    @Override
    public AnalysisRun start(String name, CanaryServices services, Instant now) throws DeployException {
        AnalysisSpec spec = analyses.get(name);
        if (spec == null) {
            throw new DeployException("The canary plan runs analysis '" + name + "', but no analysis of that name is"
                    + " configured (configured: " + (analyses.isEmpty() ? "none" : String.join(", ",
                    analyses.keySet())) + ").");
        }
        return new AnalysisRun(spec, Templates.values(services), now, providers);
    }

    @Override
    public boolean knows(String name) {
        return analyses.containsKey(name);
    }

    /**
     * Gives a run read back from disk its providers again; call it whenever a serialized run is about to be polled.
     * Runs of other implementations are returned as they are.
     */
    @Override
    public AnalysisPort.Run resume(AnalysisPort.Run run) {
        if (run instanceof AnalysisRun r) {
            r.attach(providers);
        }
        return run;
    }

    /** The names of the analyses, in the order they were given. */
    public Set<String> names() {
        return Collections.unmodifiableSet(analyses.keySet());
    }

    /** The analysis of that name, or null. */
    public AnalysisSpec get(String name) {
        return analyses.get(name);
    }
}
