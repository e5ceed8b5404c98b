package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import java.io.Serializable;
import java.time.Duration;

/**
 * A provider as configured, before it exists: plain serializable data with no secret in it (credentials are named by
 * {@code credentialsId} and resolved by the caller when the provider is made, see {@link Providers#create}).
 *
 * <pre>{@code
 * new ProviderConfig("prom", "prometheus", "https://prometheus.monitoring:9090", "prom-token",
 *         Duration.ofSeconds(5), null)
 * }</pre>
 *
 * @param name what metrics name in their {@code provider} field
 * @param type {@code prometheus} or {@code http} (see {@link Providers#TYPES})
 * @param address Prometheus' base URL (required for {@code prometheus}); for {@code http}, an optional base URL that
 *     queries starting with {@code /} are relative to
 * @param credentialsId the credentials to authenticate with, resolved by the caller; null for none
 * @param timeout how long one query may take; null means {@link Providers#DEFAULT_TIMEOUT}
 * @param caCertificate PEM certificates to trust for https instead of the JDK's, or null
 */
public record ProviderConfig(
        String name,
        String type,
        String address,
        String credentialsId,
        Duration timeout,
        String caCertificate) implements Serializable {

    public ProviderConfig {
        credentialsId = credentialsId == null || credentialsId.isBlank() ? null : credentialsId.strip();
        address = address == null || address.isBlank() ? null : address.strip();
        caCertificate = caCertificate == null || caCertificate.isBlank() ? null : caCertificate.strip();
        timeout = timeout == null ? Providers.DEFAULT_TIMEOUT : timeout;
    }

    /** A Prometheus at this address, no credentials, the default timeout. */
    public static ProviderConfig prometheus(String name, String address) {
        return new ProviderConfig(name, Providers.PROMETHEUS, address, null, null, null);
    }

    /** An HTTP check provider, no base address, no credentials, the default timeout. */
    public static ProviderConfig http(String name) {
        return new ProviderConfig(name, Providers.HTTP, null, null, null, null);
    }

    /** Shows the certificate only by its length: the fields are not secret, but a PEM block is long. */
    @Override
    public String toString() {
        return "ProviderConfig[name=" + name + ", type=" + type + ", address=" + Http.redact(address)
                + ", credentialsId=" + credentialsId + ", timeout=" + Http.human(timeout) + ", caCertificate="
                + (caCertificate == null ? null : "(PEM, " + caCertificate.length() + " characters)") + "]";
    }
}
