package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * HTTP checks as metrics: the query is a URL to GET, optionally followed by {@code |} and a {@link JsonPath} into the
 * JSON answer.
 *
 * <pre>
 * http://${canaryService}.${namespace}.svc:8080/healthz                  the status code:  result == 200
 * https://web.shop/healthz | $.checks.db.latency                         a number:         result &lt; 0.25
 * http://${canaryService}:8080/actuator/health | $.status == 'UP'         1 or 0:           result == 1
 * http://web/stats | $.pods[*].errors                                     several numbers:  all(result == 0)
 * /healthz                                                                relative to the provider's address
 * </pre>
 *
 * <p>Without a path the measurement is the status code, whatever it is (a 503 is the value 503, so
 * {@code result == 200} fails; it is not an error). With a path it is the values there (see {@link JsonPath}: numbers,
 * booleans as 1 and 0, strings holding numbers, {@code null} as NaN); the status code does not matter as long as the
 * answer is JSON and has the path. Redirects are not followed: a 301 is the value 301, and credentials go nowhere
 * but the URL given.
 *
 * <p>Failures are {@link Measurement#error} naming the URL, never exceptions: no connection, no answer within the
 * timeout, a body over 4 MiB, a body that is not JSON or lacks the path, a query that is not a URL.
 */
public final class HttpCheckProvider implements MetricProvider {
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private final String address;
    private final Credentials credentials;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param address a base URL that queries starting with {@code /} are relative to, or null
     * @param credentials sent with every check; null for none
     * @param timeout how long one check may take in all; null for {@link Providers#DEFAULT_TIMEOUT}
     * @param caCertificate PEM certificates to trust instead of the JDK's, or null
     * @throws DeployException when the address or the certificate is unusable
     */
    public HttpCheckProvider(String address, Credentials credentials, Duration timeout, String caCertificate)
            throws DeployException {
        if (address != null && !address.isBlank()) {
            String problem = Http.addressProblem(address);
            if (problem != null) {
                throw new DeployException("HTTP check address: " + problem + ".");
            }
            this.address = address.strip().replaceAll("/+$", "");
        } else {
            this.address = null;
        }
        this.credentials = credentials == null ? Credentials.NONE : credentials;
        this.timeout = timeout == null ? Providers.DEFAULT_TIMEOUT : timeout;
        if (this.timeout.isNegative() || this.timeout.isZero()) {
            throw new DeployException("The HTTP check timeout must be more than 0; got " + Http.human(this.timeout)
                    + ".");
        }
        try {
            this.client = Http.client(this.timeout, caCertificate);
        } catch (IllegalArgumentException e) {
            throw new DeployException("HTTP checks: " + e.getMessage() + ".");
        }
    }

    /** Checks without a base address, credentials or a CA of their own, with the default timeout. */
    public static HttpCheckProvider of() throws DeployException {
        return new HttpCheckProvider(null, Credentials.NONE, null, null);
    }

    /** A check: the URL and the path, or null for the status code. */
    record Check(URI url, JsonPath path) {}

    /**
     * Reads a query.
     *
     * @param address the base for relative URLs, or null
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static Check parse(String query, String address) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("the query is empty; expected a URL such as http://web:8080/healthz,"
                    + " optionally followed by | and a JSON path such as $.status");
        }
        int bar = query.indexOf('|');
        String url = (bar < 0 ? query : query.substring(0, bar)).strip();
        JsonPath path = bar < 0 ? null : JsonPath.parse(query.substring(bar + 1));
        if (url.startsWith("/")) {
            if (address == null) {
                throw new IllegalArgumentException("the URL '" + url + "' is relative, but the provider has no"
                        + " address to resolve it against; give a full URL (http://...)");
            }
            url = address + url;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + Http.redact(url) + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + Http.redact(url) + "' is not an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + Http.redact(url) + "' holds a user name or password; give them"
                    + " as the provider's credentials instead");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + Http.redact(url) + "' names no host");
        }
        return new Check(uri, path);
    }

    /**
     * The problem with a query template, or null: for checking configurations before a canary starts. Placeholders
     * such as {@code ${canaryService}} are taken for host names.
     */
    public static String problem(String queryTemplate, String address) {
        try {
            parse(queryTemplate == null ? null : queryTemplate.replaceAll("\\$?\\$\\{[^}]*}", "placeholder"),
                    address == null || address.isBlank() ? null : address.strip().replaceAll("/+$", ""));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public Measurement measure(String query, Instant at) {
        Check check;
        try {
            check = parse(query, address);
        } catch (IllegalArgumentException e) {
            return Measurement.error(e.getMessage());
        }
        String url = Http.redact(check.url().toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(check.url())
                .timeout(timeout)
                .header("Accept", check.path() == null ? "*/*" : "application/json, */*;q=0.5")
                .header("User-Agent", Http.USER_AGENT)
                .GET();
        String authorization = credentials.authorization();
        if (authorization != null) {
            // The provider's credentials go to its own address only, never to wherever a query points.
            String own = address == null ? null : Http.origin(URI.create(address));
            if (!Http.origin(check.url()).equals(own)) {
                return Measurement.error(url + ": not checked, because the provider's credentials go only to its own"
                        + " address" + (address == null ? ", and it has none" : " (" + address + ")") + "; give the"
                        + " URL relative to it (/path), or check this URL with a provider that has no credentials");
            }
            request.header("Authorization", authorization);
        }
        Http.Answer answer;
        try {
            answer = Http.send(client, request.build(), timeout, check.path() == null ? 0 : MAX_ANSWER_BYTES);
        } catch (Http.Unanswered e) {
            return Measurement.error(url + " " + e.getMessage());
        }
        if (check.path() == null) {
            return Measurement.of(answer.status());
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(answer.body());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || root.isMissingNode()) {
            String body = Http.snippet(answer.body(), authorization != null);
            return Measurement.error(url + " answered HTTP " + answer.status() + " with "
                    + (answer.body().isBlank() ? "no body" : "something that is not JSON"
                    + (answer.contentType().isEmpty() ? "" : " (" + answer.contentType() + ")")
                    + (body.isEmpty() ? " (not shown: the request carried credentials)" : ": " + body))
                    + ", so " + check.path() + " cannot be read");
        }
        try {
            return Measurement.of(check.path().values(root));
        } catch (IllegalArgumentException e) {
            return Measurement.error(url + " answered HTTP " + answer.status() + ", but " + e.getMessage());
        }
    }

    /** Base address, kind of credentials and timeout; never the credentials themselves. */
    @Override
    public String toString() {
        return "HttpCheckProvider[" + (address == null ? "no base address" : address) + ", credentials: "
                + credentials + ", timeout " + Http.human(timeout) + "]";
    }
}
