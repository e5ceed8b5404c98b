package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How a provider proves who it is: a bearer token, a user name and password (HTTP basic), or nothing. The engine takes
 * them as plain values; where they come from is the caller's business (the Jenkins glue resolves a
 * {@link ProviderConfig#credentialsId()} from the credentials store for the run, the command line reads an
 * environment variable). They live only as long as the providers made with them: never serialized, never logged,
 * never part of a message, and {@link #toString()} shows which kind they are and nothing else.
 *
 * <pre>{@code
 * Credentials.bearer(token)
 * Credentials.basic("grafana", password)
 * Credentials.NONE
 * }</pre>
 *
 * @param token a bearer token, or null
 * @param username a user name for basic authentication, or null
 * @param password the password that goes with {@code username}, or null
 */
public record Credentials(String token, String username, String password) {
    /** No authentication. */
    public static final Credentials NONE = new Credentials(null, null, null);

    public Credentials {
        token = token == null || token.isEmpty() ? null : token;
        username = username == null || username.isEmpty() ? null : username;
        password = username == null ? null : password == null ? "" : password;
        if (token != null && username != null) {
            throw new IllegalArgumentException("credentials are either a bearer token or a user name and password,"
                    + " not both");
        }
        if (token != null && (token.indexOf('\r') >= 0 || token.indexOf('\n') >= 0)) {
            // An HTTP header cannot hold a line break; say so without showing the token.
            throw new IllegalArgumentException("the bearer token holds a line break; a token is a single line");
        }
    }

    /** A bearer token ({@code Authorization: Bearer ...}). */
    public static Credentials bearer(String token) {
        return new Credentials(token, null, null);
    }

    /** A user name and password ({@code Authorization: Basic ...}). */
    public static Credentials basic(String username, String password) {
        return new Credentials(null, username, password);
    }

    /** True when there is nothing to send. */
    public boolean none() {
        return token == null && username == null;
    }

    /** The value of the {@code Authorization} header, or null for none. */
    String authorization() {
        if (token != null) {
            return "Bearer " + token;
        }
        if (username != null) {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /** Which kind of credentials these are, never their values: "bearer token", "basic (user grafana)", "none". */
    @Override
    public String toString() {
        return token != null ? "bearer token" : username != null ? "basic (user " + username + ")" : "none";
    }
}
