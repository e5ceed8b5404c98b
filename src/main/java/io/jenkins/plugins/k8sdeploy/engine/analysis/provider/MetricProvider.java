package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import java.time.Instant;

/**
 * Where the numbers come from: Prometheus, an HTTP endpoint, anything that answers a query with numbers. An analysis
 * names its provider ({@code MetricSpec.provider()} in the analysis package, which uses this one, not the other way
 * round); the caller hands {@code Analyses} a map from those names to providers, and hands it again to a run read back
 * from disk ({@code AnalysisRun.attach}), because providers hold connections and credentials and are never serialized.
 *
 * <pre>{@code
 * MetricProvider fixed = (query, at) -> Measurement.of(0.01);
 * Map<String, MetricProvider> providers = Map.of("prometheus", fixed);
 * }</pre>
 *
 * <p>Contract: {@code measure} returns promptly (a timeout of a few seconds at most: a canary polls it on a timer) and
 * reports an unreachable server, a refused query or an unreadable answer as {@link Measurement#error(String)}, not as
 * an exception. An exception thrown anyway is caught and recorded as an error measurement, so a provider bug cannot
 * crash a rollout, but its message is less helpful.
 */
@FunctionalInterface
public interface MetricProvider {

    /**
     * Runs one query.
     *
     * @param query the query with its {@code ${...}} placeholders already substituted
     * @param at the time to measure at (the analysis's clock; an instant query evaluates there)
     */
    Measurement measure(String query, Instant at);
}
