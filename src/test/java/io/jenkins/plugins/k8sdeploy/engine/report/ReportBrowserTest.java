package io.jenkins.plugins.k8sdeploy.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Analysis;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.MeasurementRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Point;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.ScoreRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Series;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The report as a browser sees it: Debian's Chromium (installed here when missing) loads the rendered file, takes a
 * screenshot at laptop width, prints it to PDF and dumps the DOM it parsed. The DOM must hold the expected text and no
 * script element or event handler, whatever the hostile rollout in the report tried.
 *
 * <p>Tagged {@code browser} so it can be chosen or left out by hand; the default test run includes it. It fails, never
 * skips, when Chromium cannot be installed or run. The files stay in {@code target/report-screenshots/}.
 */
@Tag("browser")
class ReportBrowserTest {
    private static final long INSTALL_TIMEOUT_MINUTES = 15;
    private static final long RUN_TIMEOUT_SECONDS = 120;

    private static Path chromium;
    private static Path out;
    private static Path html;

    @BeforeAll
    static void chromiumAndReport() throws Exception {
        chromium = ensureChromium();
        out = Path.of("target", "report-screenshots").toAbsolutePath();
        Files.createDirectories(out);
        html = out.resolve("report.html");
        Files.writeString(html, HtmlReport.render(model()), StandardCharsets.UTF_8);
        System.out.println("[report] " + html);
    }

    /** The promoted canary, the aborted one with an analysis, and the hostile one. */
    static ReportModel model() {
        Instant start = Instant.parse("2025-03-14T10:00:00Z");
        Analysis errors = new Analysis("error-rate", "FAILED", "metric 'error-rate' failed 2 times, more than"
                + " failureLimit 1", List.of(
                        new Series("5xx rate canary", "%", List.of(new Point(start.plusSeconds(50), 0.4),
                                new Point(start.plusSeconds(80), 2.1), new Point(start.plusSeconds(110), 6.8),
                                new Point(start.plusSeconds(130), 9.3))),
                        new Series("5xx rate stable", "%", List.of(new Point(start.plusSeconds(50), 0.3),
                                new Point(start.plusSeconds(80), 0.4), new Point(start.plusSeconds(110), 0.3),
                                new Point(start.plusSeconds(130), 0.5)))),
                List.of(new MeasurementRow(start.plusSeconds(80), "error-rate",
                                "100 * sum(rate(http_requests_total{service=\"web-canary\",code=~\"5..\"}[1m]))"
                                        + " / sum(rate(http_requests_total{service=\"web-canary\"}[1m]))", "2.1",
                                "FAILED"),
                        new MeasurementRow(start.plusSeconds(110), "error-rate", "(same)", "6.8", "FAILED")),
                List.of(new ScoreRow(start.plusSeconds(120), "judge", 0.0, "FAILED",
                        "critical metric 'errors' is HIGH: canary median 6.8 vs stable 0.3")));
        List<ReportModel.Rollout> rollouts = new ArrayList<>();
        rollouts.add(ReportModel.Rollout.from(Fixtures.promoted()));
        rollouts.add(ReportModel.Rollout.from(Fixtures.aborted()).withAnalysis(errors));
        rollouts.addAll(HostileInputTest.hostileModel().rollouts());
        return new ReportModel("Rollouts of web, 14 March 2025", rollouts);
    }

    @Test
    void screenshotAtLaptopWidthShowsAPage() throws Exception {
        Path png = out.resolve("report-1366x900.png");
        Files.deleteIfExists(png);
        long t0 = System.nanoTime();
        run(List.of("--window-size=1366,900", "--screenshot=" + png, html.toUri().toString()));
        System.out.printf("[report] screenshot in %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, png);

        assertTrue(Files.isRegularFile(png), "no screenshot at " + png);
        assertTrue(Files.size(png) > 20_000, "a screenshot of " + Files.size(png) + " bytes is too small for a page");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1366, image.getWidth());
        assertEquals(900, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        int dark = 0;
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff) < 200) {
                    dark++;
                }
            }
        }
        assertTrue(colours.size() > 50, "text, chart and tables give many colours; got " + colours.size());
        assertTrue(dark > 500, "dark pixels (text) " + dark);
        Path wide = out.resolve("report-full.png");
        run(List.of("--window-size=1366,4200", "--screenshot=" + wide, html.toUri().toString()));
        assertTrue(Files.size(wide) > Files.size(png), "the whole report, for a person to look at: " + wide);
        System.out.println("[report] full page: " + wide);
    }

    @Test
    void browserDomHasTheTextAndNoScript() throws Exception {
        long t0 = System.nanoTime();
        String dom = run(List.of("--window-size=1366,900", "--dump-dom", html.toUri().toString()));
        System.out.printf("[report] DOM dumped in %d ms (%d chars)%n", (System.nanoTime() - t0) / 1_000_000,
                dom.length());
        Files.writeString(out.resolve("report.dom.html"), dom, StandardCharsets.UTF_8);

        assertTrue(dom.contains("<h1>Rollouts of web, 14 March 2025</h1>"), dom.substring(0, Math.min(400,
                dom.length())));
        for (String text : List.of("https://10.0.0.1:6443", "registry.example/shop/web:1.5.0", "2025-03-14T09:06:02Z",
                "Waiting for approval at 50%.", "Canary at 20%: 1 canary and 4 stable pods ready; 1 of 5 wanted.",
                "CrashLoopBackOff after 4 restarts", "error-rate", "5xx rate canary",
                "61,220 91,220 91,180 422,180 422,120 959,120 959,20 960,20")) {
            assertTrue(dom.contains(text), "the parsed page lacks: " + text);
        }
        // the payloads survived as text: the browser serializes text's < and > as &lt; and &gt;
        assertTrue(dom.contains("Started &lt;script&gt;alert(1)&lt;/script&gt;"), "event message as text");
        assertTrue(dom.contains("onerror=alert(1)&gt;"), "the img payload as text");
        assertTrue(dom.contains("web&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;"), "app name as text");

        List<Fixtures.Tag> tags = Fixtures.tags(dom);
        assertTrue(tags.size() > 500, "the DOM has the report's elements: " + tags.size());
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Fixtures.Tag t : tags) {
            counts.merge(t.name(), 1L, Long::sum);
            assertFalse(t.name().equals("script"), "a script element in the DOM: " + t.text());
            assertFalse(t.name().equals("img"), "an img element in the DOM: " + t.text());
            assertFalse(t.name().equals("?"), "unparsed markup: " + t.text());
            for (String a : t.attributes()) {
                assertFalse(a.startsWith("on"), "an event handler in the DOM: " + t.text());
            }
        }
        assertEquals(3L, counts.get("svg"), "one chart per rollout: " + counts);
        assertEquals(3L, counts.get("section"), counts.toString());
        System.out.println("[report] DOM elements: " + counts);
    }

    @Test
    void printsToPdf() throws Exception {
        Path pdf = out.resolve("report.pdf");
        Files.deleteIfExists(pdf);
        long t0 = System.nanoTime();
        run(List.of("--no-pdf-header-footer", "--print-to-pdf=" + pdf, html.toUri().toString()));
        System.out.printf("[report] PDF in %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, pdf);
        assertTrue(Files.isRegularFile(pdf), "no PDF at " + pdf);
        byte[] bytes = Files.readAllBytes(pdf);
        assertEquals("%PDF", new String(bytes, 0, 4, StandardCharsets.ISO_8859_1));
        Matcher pages = Pattern.compile("/Type\\s*/Page[^s]").matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        int n = 0;
        while (pages.find()) {
            n++;
        }
        assertTrue(n >= 3, "each rollout starts a page when printed: " + n + " pages");
    }

    // --- Chromium ---

    /** Runs Chromium headless on the report; its standard output (the DOM for --dump-dom). */
    private static String run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("report-chromium-");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=" + profile));
        cmd.addAll(args);
        Result r = exec(cmd, RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        deleteTree(profile);
        if (r.exit != 0) {
            fail("Chromium failed (exit " + r.exit + "): " + String.join(" ", cmd) + "\n" + tail(r.err));
        }
        return r.out;
    }

    /** Chromium's path; installs Debian's package when there is none. Fails, never skips. */
    static Path ensureChromium() throws IOException, InterruptedException {
        Path found = findChromium();
        if (found != null) {
            System.out.println("[report] Chromium already installed: " + found + " (" + version(found) + ")");
            return found;
        }
        List<String> sudo = isRoot() ? List.of() : List.of("sudo", "-n");
        List<String> install = new ArrayList<>(sudo);
        install.addAll(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium"));
        long t0 = System.nanoTime();
        Result r = exec(install, INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (r.exit != 0) { // the package lists may be missing or stale
            List<String> update = new ArrayList<>(sudo);
            update.addAll(List.of("apt-get", "update"));
            Result u = exec(update, INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            r = exec(install, INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            if (r.exit != 0) {
                fail("Chromium is needed for this test and could not be installed (" + String.join(" ", install)
                        + ", exit " + r.exit + "; apt-get update exit " + u.exit + "):\n" + tail(u.err) + "\n"
                        + tail(r.err) + "\n" + tail(r.out));
            }
        }
        found = findChromium();
        if (found == null) {
            fail("apt-get installed chromium but no chromium executable is on PATH or in /usr/bin");
        }
        System.out.printf("[report] installed Chromium in %d s: %s (%s)%n", (System.nanoTime() - t0) / 1_000_000_000,
                found, version(found));
        return found;
    }

    private static Path findChromium() {
        List<Path> dirs = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                dirs.add(Path.of(d));
            }
        }
        dirs.add(Path.of("/usr/bin"));
        for (Path d : dirs) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = d.resolve(name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static String version(Path chromium) throws IOException, InterruptedException {
        Result r = exec(List.of(chromium.toString(), "--version"), 60, TimeUnit.SECONDS);
        return r.exit == 0 ? r.out.strip() : "version unknown: " + tail(r.err);
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Result r = exec(List.of("id", "-u"), 10, TimeUnit.SECONDS);
        return r.exit == 0 && r.out.strip().equals("0");
    }

    private record Result(int exit, String out, String err) {}

    private static Result exec(List<String> cmd, long timeout, TimeUnit unit) throws IOException,
            InterruptedException {
        Path stdout = Files.createTempFile("report-exec-", ".out");
        Path stderr = Files.createTempFile("report-exec-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(timeout, unit)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                fail("timed out after " + timeout + " " + unit + ": " + String.join(" ", cmd) + "\n"
                        + tail(read(stderr)));
            }
            return new Result(p.exitValue(), read(stdout), read(stderr));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // lenient: never throws on bad bytes
    }

    private static String tail(String s) {
        return s.length() <= 3000 ? s : "..." + s.substring(s.length() - 3000);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
