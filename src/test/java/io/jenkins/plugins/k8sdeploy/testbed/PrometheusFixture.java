package io.jenkins.plugins.k8sdeploy.testbed;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Prometheus ({@code /usr/bin/prometheus}, installed by {@code testbed/up}), started for a test on a free port
 * of 127.0.0.1, scraping one target every second. Missing or failing to start is an error, never a skip.
 */
public final class PrometheusFixture implements AutoCloseable {
    public static final String BINARY = System.getenv().getOrDefault("K8SPD_PROMETHEUS", "/usr/bin/prometheus");

    private final Process process;
    private final int port;
    private final Path dir;

    private PrometheusFixture(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts Prometheus scraping {@code target} (host:port, path /metrics) every second; returns once it is ready. */
    public static PrometheusFixture start(String target) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: testbed/up installs Debian's prometheus package"
                    + " (or set K8SPD_PROMETHEUS to a Prometheus binary).");
        }
        Path dir = Files.createTempDirectory("k8spd-prometheus");
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                - job_name: app
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                  static_configs:
                  - targets: ['%s']
                """.formatted(target), StandardCharsets.UTF_8);
        int port = freePort();
        Process p = new ProcessBuilder(BINARY, "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusFixture f = new PrometheusFixture(p, port, dir);
        f.awaitReady();
        return f;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Waits until Prometheus has scraped its target successfully at least {@code n} times in the last five minutes,
     * so rates and range selectors have samples to work on.
     */
    public void awaitScrapes(int n) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(url() + "/api/v1/query?query="
                + java.net.URLEncoder.encode("sum_over_time(up[5m])", StandardCharsets.UTF_8));
        Pattern value = Pattern.compile("\\[\\s*[0-9.e+]+\\s*,\\s*\"([0-9.e+]+)\"\\s*]");
        Instant deadline = Instant.now().plusSeconds(30 + n);
        double seen = 0;
        while (Instant.now().isBefore(deadline)) {
            String body = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = value.matcher(body);
            seen = m.find() ? Double.parseDouble(m.group(1)) : 0;
            if (seen >= n) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Prometheus scraped its target successfully " + (long) seen + " times in "
                + (30 + n) + " s, not " + n + ": " + Files.readString(dir.resolve("prometheus.log")));
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Prometheus did not become ready in 60 s: "
                + Files.readString(dir.resolve("prometheus.log")));
    }

    /** Stops Prometheus (as if it went down mid-analysis); {@link #close} is still safe afterwards. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
