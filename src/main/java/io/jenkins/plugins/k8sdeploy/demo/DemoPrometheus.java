package io.jenkins.plugins.k8sdeploy.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's Prometheus ({@code /usr/bin/prometheus}, which {@code testbed/up} installs) for the demo: on a free port of
 * 127.0.0.1, scraping the demo's metrics every second, its configuration, data, log and pid file under
 * {@code STATE/prometheus/}. A Prometheus a previous demo left running (its pid file names a live
 * {@code prometheus} process started with our configuration file) is stopped first, and its data removed, so every
 * run starts alike.
 */
public final class DemoPrometheus implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path dir;

    private DemoPrometheus(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Stops a previous demo's Prometheus, then starts one scraping {@code target} (host:port, path /metrics) every
     * second and waits until it is ready.
     *
     * @param binary the prometheus executable
     * @param state the demo's state folder; Prometheus gets {@code STATE/prometheus/}
     */
    public static DemoPrometheus start(Path binary, Path state, String target) throws IOException,
            InterruptedException {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: testbed/up installs Debian's prometheus package"
                    + " (or pass --prometheus with the path of a Prometheus 2.x binary).");
        }
        Path dir = state.resolve("prometheus");
        Files.createDirectories(dir);
        stopPrevious(dir);
        deleteTree(dir.resolve("data"));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                # Written by k8spd demo for this run: scrape the demo app's made-up metrics every second.
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                - job_name: demo
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                  static_configs:
                  - targets: ['TARGET']
                """.replace("TARGET", target), StandardCharsets.UTF_8);
        int port = freePort();
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--storage.tsdb.retention.time=1d",
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Files.writeString(dir.resolve("prometheus.pid"), Long.toString(p.pid()), StandardCharsets.UTF_8);
        DemoPrometheus prometheus = new DemoPrometheus(p, port, dir);
        try {
            prometheus.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    /** Prometheus' base URL. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    /** The version line Prometheus reports ("2.42.0"), or "?" when it does not say. */
    public String version() {
        try {
            String body = get("/api/v1/status/buildinfo");
            Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
            return m.find() ? m.group(1) : "?";
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "?";
        }
    }

    /**
     * Waits until Prometheus has scraped its target successfully at least {@code n} times, so rates have samples.
     */
    public void awaitScrapes(int n) throws IOException, InterruptedException {
        String q = "/api/v1/query?query=" + URLEncoder.encode("sum_over_time(up{job=\"demo\"}[5m])",
                StandardCharsets.UTF_8);
        Pattern value = Pattern.compile("\\[\\s*[0-9.e+]+\\s*,\\s*\"([0-9.e+]+)\"\\s*]");
        Instant deadline = Instant.now().plusSeconds(30 + n);
        double seen = 0;
        while (Instant.now().isBefore(deadline)) {
            checkAlive();
            Matcher m = value.matcher(get(q));
            seen = m.find() ? Double.parseDouble(m.group(1)) : 0;
            if (seen >= n) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Prometheus scraped the demo metrics successfully " + (long) seen
                + " times in " + (30 + n) + " s, not " + n + " (log: " + dir.resolve("prometheus.log") + "):\n"
                + tail());
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            checkAlive();
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url()
                        + "/-/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Prometheus did not become ready within " + READY_WITHIN.toSeconds()
                + " s (log: " + dir.resolve("prometheus.log") + "):\n" + tail());
    }

    private void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("Prometheus exited with " + process.exitValue() + " (log: "
                    + dir.resolve("prometheus.log") + "):\n" + tail());
        }
    }

    private String get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String tail() throws IOException {
        Path log = dir.resolve("prometheus.log");
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    /** Stops this Prometheus: TERM, up to 10 s, then KILL; removes the pid file. */
    @Override
    public void close() throws InterruptedException {
        stop(process.toHandle());
        try {
            Files.deleteIfExists(dir.resolve("prometheus.pid"));
        } catch (IOException e) {
            // the next run checks the pid before trusting it
        }
    }

    /**
     * Stops the Prometheus a previous demo started in {@code dir}, if its pid file names a live process that is a
     * {@code prometheus} started with {@code dir}'s configuration (a reused pid belongs to someone else).
     *
     * @return true when one was stopped
     */
    static boolean stopPrevious(Path dir) throws IOException, InterruptedException {
        Path pidFile = dir.resolve("prometheus.pid");
        if (!Files.exists(pidFile)) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip());
        } catch (NumberFormatException e) {
            Files.delete(pidFile);
            return false;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        boolean ours = h.isPresent() && h.get().isAlive() && isOurs(h.get(), dir.resolve("prometheus.yml"));
        if (ours) {
            stop(h.get());
        }
        Files.deleteIfExists(pidFile);
        return ours;
    }

    private static boolean isOurs(ProcessHandle h, Path config) {
        String command = h.info().command().orElse("");
        String[] args = h.info().arguments().orElse(new String[0]);
        Path name = Path.of(command.isEmpty() ? "-" : command).getFileName();
        return name != null && name.toString().startsWith("prometheus")
                && List.of(args).contains("--config.file=" + config);
    }

    private static void stop(ProcessHandle h) throws InterruptedException {
        if (!h.isAlive()) {
            return;
        }
        h.destroy();
        try {
            h.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            h.destroyForcibly();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ignored) {
                // gone or stuck: nothing more we may do
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
