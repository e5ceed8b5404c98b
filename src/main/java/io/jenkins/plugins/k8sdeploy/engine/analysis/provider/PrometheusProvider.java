package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Instant PromQL queries against Prometheus' HTTP API (and anything that speaks it: Thanos, Mimir, VictoriaMetrics,
 * Cortex): {@code POST <address>/api/v1/query} with {@code query}, {@code time} (the analysis's clock) and
 * {@code timeout}.
 *
 * <pre>{@code
 * MetricProvider prom = new PrometheusProvider("https://prometheus.monitoring:9090",
 *         Credentials.bearer(token), Duration.ofSeconds(5), caPem);
 * prom.measure("sum(rate(http_requests_total{code=~\"5..\"}[1m]))", Instant.now());   // Measurement.of(0.3)
 * }</pre>
 *
 * <p>What comes back:
 * <ul>
 *   <li>{@code vector}: one value per series, in Prometheus' order; no series is {@code Measurement.of(List.of())}
 *       (the analysis turns that into its no-data verdict);</li>
 *   <li>{@code scalar}: its one value;</li>
 *   <li>{@code matrix} (a range selector such as {@code latency_seconds[1m]}, what the statistical judge wants): every
 *       sample of every series, in time order;</li>
 *   <li>{@code string}, and native histograms: an error measurement, since a condition needs numbers.</li>
 * </ul>
 * {@code "NaN"}, {@code "+Inf"} and {@code "-Inf"} are read as the doubles they name.
 *
 * <p>Nothing is thrown from {@link #measure}: an unreachable Prometheus, a refused query (with Prometheus'
 * {@code errorType} and {@code error}), an answer too late, too large (over 16 MiB) or not Prometheus' JSON are
 * {@link Measurement#error} saying so, with the address. Redirects are not followed (credentials go only to the
 * address given); credentials are never part of a message or of {@link #toString()}.
 */
public final class PrometheusProvider implements MetricProvider {
    static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

    private final String address;
    private final URI endpoint;
    private final Credentials credentials;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param address Prometheus' base URL, http or https, possibly with a path prefix
     *     ({@code https://example/prometheus}); {@code /api/v1/query} is appended
     * @param credentials what to authenticate with; null for none
     * @param timeout how long one query may take in all (connecting, Prometheus evaluating, the answer); null for
     *     {@link Providers#DEFAULT_TIMEOUT}
     * @param caCertificate PEM certificates to trust instead of the JDK's, or null
     * @throws DeployException when the address or the certificate is unusable
     */
    public PrometheusProvider(String address, Credentials credentials, Duration timeout, String caCertificate)
            throws DeployException {
        String problem = Http.addressProblem(address);
        if (problem != null) {
            throw new DeployException("Prometheus address: " + problem + ".");
        }
        this.address = address.strip().replaceAll("/+$", "");
        this.endpoint = URI.create(this.address + "/api/v1/query");
        this.credentials = credentials == null ? Credentials.NONE : credentials;
        this.timeout = timeout == null ? Providers.DEFAULT_TIMEOUT : timeout;
        if (this.timeout.isNegative() || this.timeout.isZero()) {
            throw new DeployException("The Prometheus timeout must be more than 0; got " + Http.human(this.timeout)
                    + ".");
        }
        try {
            this.client = Http.client(this.timeout, caCertificate);
        } catch (IllegalArgumentException e) {
            throw new DeployException("Prometheus at " + this.address + ": " + e.getMessage() + ".");
        }
    }

    /** A Prometheus without credentials, with the default timeout and the JDK's trusted CAs. */
    public static PrometheusProvider of(String address) throws DeployException {
        return new PrometheusProvider(address, Credentials.NONE, null, null);
    }

    public String address() {
        return address;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public Measurement measure(String query, Instant at) {
        if (query == null || query.isBlank()) {
            return Measurement.error("the query is empty");
        }
        Instant when = at == null ? Instant.now() : at;
        String form = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&time=" + seconds(when.getEpochSecond(), when.getNano())
                + "&timeout=" + seconds(timeout.toSeconds(), timeout.toNanosPart());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("User-Agent", Http.USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        String authorization = credentials.authorization();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Http.Answer answer;
        try {
            answer = Http.send(client, request.build(), timeout, MAX_ANSWER_BYTES);
        } catch (Http.Unanswered e) {
            String phrase = e.getMessage();
            if (phrase.startsWith("answered with more than")) {
                phrase += "; aggregate the query (sum, avg, topk ...) so it returns fewer series";
            }
            return Measurement.error(who() + " " + phrase);
        }
        return read(answer);
    }

    private String who() {
        return "Prometheus at " + address;
    }

    /** Turns an answer into a measurement; every unexpected shape is an error measurement naming the address. */
    Measurement read(Http.Answer answer) {
        int status = answer.status();
        if (status >= 300 && status < 400) {
            return Measurement.error(who() + " answered HTTP " + status + (answer.location() == null ? ""
                    : ", a redirect to " + answer.location()) + "; give the address it redirects to (redirects are"
                    + " not followed, so credentials go nowhere else)");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(answer.body());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject() || !root.has("status")) {
            String body = Http.snippet(answer.body(), !credentials.none());
            if (status == 401 || status == 403) {
                return Measurement.error(who() + " answered HTTP " + status + ": " + (credentials.none()
                        ? "it wants credentials; give a credentialsId" : "the credentials (" + credentials
                        + ") were refused") + (body.isEmpty() ? "" : " (" + body + ")"));
            }
            if (status < 200 || status >= 300) {
                return Measurement.error(who() + " answered HTTP " + status + (body.isEmpty() ? "" : ": " + body));
            }
            return Measurement.error(who() + " answered with something that is not Prometheus' JSON"
                    + (answer.contentType().isEmpty() ? "" : " (" + answer.contentType() + ")")
                    + (body.isEmpty() ? "" : ": " + body) + "; is " + address + " the address whose /api/v1/query"
                    + " answers?");
        }
        if (!"success".equals(root.path("status").asText())) {
            return Measurement.error(who() + " answered HTTP " + status + ": query error ("
                    + root.path("errorType").asText("unknown") + "): " + root.path("error").asText("no reason given"));
        }
        if (status < 200 || status >= 300) {
            return Measurement.error(who() + " answered HTTP " + status + " with status success");
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        try {
            return switch (type) {
                case "vector" -> vector(result);
                case "scalar" -> Measurement.of(value(result));
                case "matrix" -> matrix(result);
                case "string" -> Measurement.error("the query returned the string '" + result.path(1).asText()
                        + "', not numbers; a condition needs numbers");
                default -> Measurement.error(who() + " answered with result type '" + type + "', which is not"
                        + " vector, scalar, matrix or string");
            };
        } catch (Shape e) {
            return Measurement.error(who() + " answered in a shape this plugin does not know: " + e.getMessage());
        }
    }

    private static Measurement vector(JsonNode result) throws Shape {
        if (!result.isArray()) {
            throw new Shape("a vector whose result is not a list");
        }
        List<Double> values = new ArrayList<>();
        for (JsonNode series : result) {
            if (series.has("histogram") && !series.has("value")) {
                return nativeHistogram(series);
            }
            if (!series.has("value")) {
                throw new Shape("a vector series without a value: " + abbreviate(series.toString()));
            }
            values.add(value(series.path("value")));
        }
        return Measurement.of(values);
    }

    private static Measurement matrix(JsonNode result) throws Shape {
        if (!result.isArray()) {
            throw new Shape("a matrix whose result is not a list");
        }
        record Sample(double time, double value) {}
        List<Sample> samples = new ArrayList<>();
        for (JsonNode series : result) {
            if (series.has("histograms") && !series.has("values")) {
                return nativeHistogram(series);
            }
            JsonNode values = series.path("values");
            if (!values.isArray()) {
                throw new Shape("a matrix series without values");
            }
            for (JsonNode pair : values) {
                samples.add(new Sample(time(pair), value(pair)));
            }
        }
        // A stable sort: samples at the same time keep the order of their series.
        samples.sort(Comparator.comparingDouble(Sample::time));
        return Measurement.of(samples.stream().map(Sample::value).toList());
    }

    private static Measurement nativeHistogram(JsonNode series) {
        return Measurement.error("the query returned a native histogram for " + series.path("metric")
                + ", not numbers; query histogram_quantile(...), histogram_count(...) or histogram_sum(...)");
    }

    private static double time(JsonNode pair) throws Shape {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()) {
            throw new Shape("a sample that is not [time, \"value\"]: " + abbreviate(pair.toString()));
        }
        return pair.get(0).asDouble();
    }

    /** The value of a {@code [time, "value"]} pair; Prometheus writes values as strings, NaN and infinities too. */
    private static double value(JsonNode pair) throws Shape {
        time(pair);
        JsonNode v = pair.get(1);
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (!v.isTextual()) {
            throw new Shape("a sample value that is not a string: " + abbreviate(pair.toString()));
        }
        return parse(v.asText());
    }

    /** Prometheus' number syntax: decimals, "NaN", "+Inf", "-Inf" (and "Inf"). */
    static double parse(String s) throws Shape {
        String t = s.strip();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "+inf", "inf", "+infinity", "infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new Shape("the sample value '" + abbreviate(t) + "' is not a number");
        }
        return Double.parseDouble(t);
    }

    private static String seconds(long seconds, int nanos) {
        return String.format(Locale.ROOT, "%d.%03d", seconds, nanos / 1_000_000);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** An answer that is JSON but not in the shape Prometheus documents. */
    static final class Shape extends Exception {
        private static final long serialVersionUID = 1L;

        Shape(String message) {
            super(message, null, false, false);
        }
    }

    /** Address, kind of credentials and timeout; never the credentials themselves. */
    @Override
    public String toString() {
        return "PrometheusProvider[" + address + ", credentials: " + credentials + ", timeout " + Http.human(timeout)
                + "]";
    }
}
