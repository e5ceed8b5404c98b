package io.jenkins.plugins.k8sdeploy.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The demo app's traffic, made up from what the cluster says: each scrape reads every track's ready pods and error
 * rate (from {@link Source}, in the demo {@link ClusterTracks}) and grows the track's request and error counters by
 * what those pods would have served since the last scrape. Prometheus scrapes it like any app, so the analysis
 * queries are the ones a real app would need.
 *
 * <pre>
 * # 2 ready canary pods at error rate 0.20, scraped 1 s after the last scrape, 50 requests/s per pod:
 * demo_http_requests_total{namespace="demo",app="web",track="canary",code="200"} += 80
 * demo_http_requests_total{namespace="demo",app="web",track="canary",code="500"} += 20
 * demo_http_request_latency_seconds{namespace="demo",app="web",track="canary"}    0.08 (gauge)
 * demo_ready_pods{namespace="demo",app="web",track="canary"}                      2    (gauge)
 * </pre>
 *
 * <p>Counters are kept as doubles and shown rounded down, so they never decrease; a track that disappears keeps its
 * counters (shown again when it comes back), as a restarted app's would not, which {@code rate()} does not mind
 * either way. {@code noise} (values in -1..1) varies each scrape's error and latency by up to {@code jitter} of
 * themselves, so the chart looks like traffic; tests pass none.
 */
public final class MetricsSimulator {
    /** Requests each ready pod serves per second. */
    public static final double REQUESTS_PER_POD_PER_SECOND = 50;
    /** A scrape after a longer gap than this counts only this much time (a paused JVM must not make a burst). */
    static final Duration MAX_STEP = Duration.ofSeconds(10);

    /**
     * One track of one app as the cluster has it now.
     *
     * @param track {@code stable} or {@code canary}
     * @param errorRate the share of requests that fail, 0..1
     * @param latencySeconds the typical response time
     */
    public record Track(String namespace, String app, String track, int readyPods, double errorRate,
            double latencySeconds) {
        public Track {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(track, "track");
            readyPods = Math.max(0, readyPods);
            errorRate = Double.isFinite(errorRate) ? Math.max(0, Math.min(1, errorRate)) : 0;
            latencySeconds = Double.isFinite(latencySeconds) ? Math.max(0, latencySeconds) : 0;
        }

        String key() {
            return namespace + "\u0000" + app + "\u0000" + track;
        }
    }

    /** Where the tracks come from: the cluster in the demo, a list in tests. */
    @FunctionalInterface
    public interface Source {
        List<Track> read() throws Exception;
    }

    /** One track's counters. */
    public record Counters(Track last, double requests, double errors, double latencySeconds) {}

    private final Source source;
    private final Clock clock;
    private final DoubleSupplier noise;
    private final double jitter;
    private final Consumer<String> log;
    private final Map<String, Counters> counters = new LinkedHashMap<>();
    private Instant lastScrape;
    private String lastProblem;

    /**
     * @param noise values in -1..1, drawn for each track at each scrape
     * @param jitter how much of itself the noise may add to or take from each scrape's error rate and latency (0..1)
     * @param log where a failure to read the tracks is told (once, until it reads again)
     */
    public MetricsSimulator(Source source, Clock clock, DoubleSupplier noise, double jitter, Consumer<String> log) {
        this.source = source;
        this.clock = clock;
        this.noise = noise;
        this.jitter = Math.max(0, Math.min(1, jitter));
        this.log = log;
    }

    /** Reads the tracks, grows the counters by the time since the last scrape, and renders the exposition. */
    public synchronized String scrape() {
        Instant now = clock.instant();
        List<Track> tracks;
        try {
            tracks = source.read();
            lastProblem = null;
        } catch (Exception e) {
            String problem = "the demo metrics could not read the cluster (" + e.getMessage() + "); the counters"
                    + " stand still until it can";
            if (!problem.equals(lastProblem)) {
                log.accept(problem);
                lastProblem = problem;
            }
            tracks = List.of();
        }
        double seconds = lastScrape == null ? 0
                : Math.min(MAX_STEP.toMillis(), Math.max(0, Duration.between(lastScrape, now).toMillis())) / 1000.0;
        lastScrape = now;
        for (Track t : tracks) {
            Counters c = counters.getOrDefault(t.key(), new Counters(t, 0, 0, t.latencySeconds()));
            double served = t.readyPods() * REQUESTS_PER_POD_PER_SECOND * seconds;
            double errorRate = Math.max(0, Math.min(1, t.errorRate() * (1 + jitter * noise.getAsDouble())));
            double latency = t.latencySeconds() * (1 + jitter * noise.getAsDouble());
            counters.put(t.key(), new Counters(t, c.requests() + served, c.errors() + served * errorRate, latency));
        }
        // tracks that are gone stay, with their pods at 0, so the counters keep their values
        for (Map.Entry<String, Counters> e : counters.entrySet()) {
            if (tracks.stream().noneMatch(t -> t.key().equals(e.getKey()))) {
                Counters c = e.getValue();
                Track gone = new Track(c.last().namespace(), c.last().app(), c.last().track(), 0,
                        c.last().errorRate(), c.last().latencySeconds());
                e.setValue(new Counters(gone, c.requests(), c.errors(), c.latencySeconds()));
            }
        }
        return render();
    }

    /** The counters of every track seen so far, in the order first seen. */
    public synchronized List<Counters> counters() {
        return List.copyOf(new ArrayList<>(counters.values()));
    }

    /** The counters of one track, or null when it was never seen. */
    public synchronized Counters counters(String namespace, String app, String track) {
        return counters.get(namespace + "\u0000" + app + "\u0000" + track);
    }

    private String render() {
        StringBuilder out = new StringBuilder(1024);
        out.append("# HELP demo_http_requests_total Requests the demo app served, by track and status code.\n")
                .append("# TYPE demo_http_requests_total counter\n");
        for (Counters c : counters.values()) {
            long all = (long) Math.floor(c.requests());
            long errors = Math.min(all, (long) Math.floor(c.errors()));
            out.append("demo_http_requests_total").append(labels(c.last(), "code", "200")).append(' ')
                    .append(all - errors).append('\n');
            out.append("demo_http_requests_total").append(labels(c.last(), "code", "500")).append(' ')
                    .append(errors).append('\n');
        }
        out.append("# HELP demo_http_request_latency_seconds Typical response time of the demo app, by track.\n")
                .append("# TYPE demo_http_request_latency_seconds gauge\n");
        for (Counters c : counters.values()) {
            out.append("demo_http_request_latency_seconds").append(labels(c.last(), null, null)).append(' ')
                    .append(String.format(Locale.ROOT, "%.4f", c.latencySeconds())).append('\n');
        }
        out.append("# HELP demo_ready_pods Ready pods of the demo app, by track.\n")
                .append("# TYPE demo_ready_pods gauge\n");
        for (Counters c : counters.values()) {
            out.append("demo_ready_pods").append(labels(c.last(), null, null)).append(' ')
                    .append(c.last().readyPods()).append('\n');
        }
        return out.toString();
    }

    private static String labels(Track t, String extraName, String extraValue) {
        StringBuilder l = new StringBuilder("{namespace=\"").append(escape(t.namespace())).append("\",app=\"")
                .append(escape(t.app())).append("\",track=\"").append(escape(t.track())).append('"');
        if (extraName != null) {
            l.append(',').append(extraName).append("=\"").append(escape(extraValue)).append('"');
        }
        return l.append('}').toString();
    }

    /** A label value in Prometheus' text format: backslash, double quote and new line escaped. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * Serves {@link #scrape()} at {@code http://127.0.0.1:PORT/metrics} (a free port when {@code port} is 0) until
     * closed.
     */
    public Endpoint serve(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                int status;
                if ("/metrics".equals(exchange.getRequestURI().getPath())
                        && "GET".equals(exchange.getRequestMethod())) {
                    body = scrape().getBytes(StandardCharsets.UTF_8);
                    status = 200;
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                } else {
                    body = "Only GET /metrics here.\n".getBytes(StandardCharsets.UTF_8);
                    status = 404;
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                }
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "demo-metrics");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new Endpoint(server);
    }

    /** The running HTTP endpoint. */
    public static final class Endpoint implements AutoCloseable {
        private final HttpServer server;

        Endpoint(HttpServer server) {
            this.server = server;
        }

        /** host:port, as a Prometheus target. */
        public String target() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        public String url() {
            return "http://" + target() + "/metrics";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
