package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Credentials;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.ProviderConfig;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;

/**
 * Which kinds of Jenkins credentials a metric provider accepts, and what each becomes: Secret text is a bearer token,
 * Username with password is HTTP basic authentication, anything else is refused with a message naming the id, the
 * kind found and the kinds accepted. The Jenkins glue ({@link CanaryAnalyses}) only says what the store held; the
 * decision is here, in plain Java, tested without Jenkins. No message ever holds a secret.
 *
 * <pre>{@code
 * ProviderCredentials.toEngine(provider, new ProviderCredentials.SecretText(secret.getPlainText()))
 *     -> Credentials.bearer(token)
 * }</pre>
 */
final class ProviderCredentials {
    private ProviderCredentials() {}

    /** What the credentials store held under a provider's {@code credentialsId}. */
    sealed interface Found permits SecretText, UsernamePassword, Other {}

    /** A Secret text credential. */
    record SecretText(String token) implements Found {
        @Override
        public String toString() {
            return "Secret text";
        }
    }

    /** A Username with password credential. */
    record UsernamePassword(String username, String password) implements Found {
        @Override
        public String toString() {
            return "Username with password (user " + username + ")";
        }
    }

    /** Any other kind, by the name Jenkins shows for it ("SSH Username with private key"). */
    record Other(String kind) implements Found {}

    /**
     * The credentials the provider authenticates with.
     *
     * @param found what the store held, or null when it held nothing of that id visible to the build
     * @throws DeployException naming the id, the provider and the kinds accepted
     */
    static Credentials toEngine(ProviderConfig provider, Found found) throws DeployException {
        String id = provider.credentialsId();
        try {
            return switch (found) {
                case null -> throw new DeployException(Messages.ProviderCredentials_notFound(id, provider.name()));
                case SecretText t when empty(t.token()) -> throw new DeployException(
                        Messages.ProviderCredentials_unusable(id, provider.name(), "the secret text is empty"));
                case SecretText t -> Credentials.bearer(t.token());
                case UsernamePassword u when empty(u.username()) -> throw new DeployException(
                        Messages.ProviderCredentials_unusable(id, provider.name(), "the user name is empty"));
                case UsernamePassword u -> Credentials.basic(u.username(), u.password());
                case Other o -> throw new DeployException(Messages.ProviderCredentials_wrongType(id, provider.name(),
                        o.kind()));
            };
        } catch (IllegalArgumentException e) {
            // Credentials' own checks (a token with a line break); their messages never hold the secret.
            throw new DeployException(Messages.ProviderCredentials_unusable(id, provider.name(), e.getMessage()));
        }
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
