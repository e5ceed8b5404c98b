package io.jenkins.plugins.k8sdeploy.testbed;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A metrics endpoint for analysis tests, in Prometheus' text format, that a test steers: for each track (stable,
 * canary) an error rate and a latency. Each scrape reports
 *
 * <pre>
 * app_requests_total{track="canary",code="200"}   counters grown by 100 requests per scrape, split by the error rate
 * app_requests_total{track="canary",code="500"}
 * app_error_ratio{track="canary"}                  the error rate itself (a gauge)
 * app_latency_seconds{track="canary"}              one latency sample per scrape: normal(mean, mean/10), seeded
 * </pre>
 */
public final class MetricsServer implements AutoCloseable {
    /** What one track reports. */
    public record Track(double errorRate, double latencyMean) {}

    private final HttpServer server;
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final Map<String, long[]> counters = new ConcurrentHashMap<>();
    private final Random random = new Random(42);
    private volatile boolean failing;

    public MetricsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = failing ? new byte[0] : render().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(failing ? 503 : 200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** host:port for a scrape config. */
    public String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public MetricsServer set(String track, double errorRate, double latencyMean) {
        tracks.put(track, new Track(errorRate, latencyMean));
        return this;
    }

    public MetricsServer remove(String track) {
        tracks.remove(track);
        return this;
    }

    /** Makes scrapes fail (the series go stale). */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    private synchronized String render() {
        StringBuilder b = new StringBuilder();
        b.append("# TYPE app_requests_total counter\n");
        tracks.forEach((track, t) -> {
            long[] c = counters.computeIfAbsent(track, k -> new long[2]);
            long errors = Math.round(100 * t.errorRate());
            c[0] += 100 - errors;
            c[1] += errors;
            b.append(line("app_requests_total", track, "code=\"200\",", c[0]));
            b.append(line("app_requests_total", track, "code=\"500\",", c[1]));
        });
        b.append("# TYPE app_error_ratio gauge\n");
        tracks.forEach((track, t) -> b.append(line("app_error_ratio", track, "", t.errorRate())));
        b.append("# TYPE app_latency_seconds gauge\n");
        tracks.forEach((track, t) -> b.append(line("app_latency_seconds", track, "",
                Math.max(0, t.latencyMean() + random.nextGaussian() * t.latencyMean() / 10))));
        return b.toString();
    }

    private static String line(String name, String track, String extra, double value) {
        return String.format(Locale.ROOT, "%s{%strack=\"%s\"} %s%n", name, extra, track,
                value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                        : String.valueOf(value));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
