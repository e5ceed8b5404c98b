package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes providers from their {@link ProviderConfig}s, and checks configurations before anything is made.
 *
 * <pre>{@code
 * MetricProvider p = Providers.create(config, Credentials.bearer(token));
 * Map<String, String> problems = Providers.problems(config);   // field -> problem, empty when fine
 * }</pre>
 */
public final class Providers {
    public static final String PROMETHEUS = "prometheus";
    public static final String HTTP = "http";
    /** The provider types, in the order the documentation lists them. */
    public static final List<String> TYPES = List.of(PROMETHEUS, HTTP);
    /** How long one query may take by default: long enough for a heavy PromQL query, short for a poll. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The longest timeout allowed: a canary polls its analysis every few seconds. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

    private Providers() {}

    /**
     * Every problem of a configuration, by field ({@code type}, {@code address}, {@code timeout},
     * {@code caCertificate}); empty when it can be made.
     */
    public static Map<String, String> problems(ProviderConfig c) {
        Map<String, String> out = new LinkedHashMap<>();
        if (c.type() == null || !TYPES.contains(c.type())) {
            out.put("type", (c.type() == null ? "no type is given" : "'" + c.type() + "' is not a provider type")
                    + "; the types are " + String.join(" and ", TYPES));
        }
        if (PROMETHEUS.equals(c.type()) && c.address() == null) {
            out.put("address", "a prometheus provider needs the address of Prometheus' HTTP API, such as"
                    + " http://prometheus.monitoring:9090");
        } else if (c.address() != null) {
            String problem = Http.addressProblem(c.address());
            if (problem != null) {
                out.put("address", problem);
            }
        }
        if (c.timeout().isNegative() || c.timeout().isZero()) {
            out.put("timeout", "the timeout must be more than 0; got " + Http.human(c.timeout()));
        } else if (c.timeout().compareTo(MAX_TIMEOUT) > 0) {
            out.put("timeout", "the timeout " + Http.human(c.timeout()) + " is longer than "
                    + Http.human(MAX_TIMEOUT) + "; a canary polls its analysis every few seconds");
        }
        if (c.caCertificate() != null) {
            String problem = Http.certificateProblem(c.caCertificate());
            if (problem != null) {
                out.put("caCertificate", problem);
            }
        }
        return out;
    }

    /**
     * Makes the provider a configuration describes.
     *
     * @param credentials what {@link ProviderConfig#credentialsId()} resolved to; null or {@link Credentials#NONE}
     *     for none
     * @throws DeployException naming the provider and every problem of its configuration
     */
    public static MetricProvider create(ProviderConfig c, Credentials credentials) throws DeployException {
        Map<String, String> problems = problems(c);
        if (!problems.isEmpty()) {
            StringBuilder b = new StringBuilder("Provider '" + c.name() + "':");
            problems.forEach((field, problem) -> b.append(' ').append(field).append(": ").append(problem)
                    .append('.'));
            throw new DeployException(b.toString());
        }
        return switch (c.type()) {
            case PROMETHEUS -> new PrometheusProvider(c.address(), credentials, c.timeout(), c.caCertificate());
            default -> new HttpCheckProvider(c.address(), credentials, c.timeout(), c.caCertificate());
        };
    }
}
