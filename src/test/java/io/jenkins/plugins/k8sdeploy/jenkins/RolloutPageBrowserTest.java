package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rollout page's markup as a browser draws it, without Jenkins: the report's section for the rollout
 * ({@code HtmlReport.section}, the markup {@code RolloutView/index.jelly} writes too, from the same
 * {@code ReportSection}; RolloutsPageJenkinsTest holds the two to the same text) inside a minimal page with the
 * plugin's own stylesheet
 * ({@code src/main/webapp/css/rollout.css}), loaded by Debian's headless Chromium. One page from a canary the engine
 * recorded against the test bed (its analysis failed and it was aborted), one from a record whose strings are all
 * hostile. Screenshots and DOM dumps stay in {@code target/build-page/}.
 *
 * <p>Tagged {@code browser} like the report's browser test; fails, never skips, when Chromium is missing (the test
 * bed installs it).
 */
@Tag("browser")
class RolloutPageBrowserTest {
    private static Path out;

    @BeforeAll
    static void pages() throws IOException {
        out = Path.of("target", "build-page").toAbsolutePath();
        Files.createDirectories(out);
        Files.writeString(out.resolve("rollout.html"), page(new RolloutView(2, RecordFixtures.analysisFailed())),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("hostile.html"), page(new RolloutView(1, RecordFixtures.hostile())),
                StandardCharsets.UTF_8);
    }

    /** What the rollout page holds, in a page of its own: the stylesheet, the links back, the report's section. */
    static String page(RolloutView v) {
        Path css = Path.of(System.getProperty("k8spd.repo.root", "."), "src/main/webapp/css/rollout.css")
                .toAbsolutePath();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + io.jenkins.plugins.k8sdeploy.engine.report.HtmlEscaper.escape(v.getDisplayName()) + "</title>\n"
                + "<link rel=\"stylesheet\" href=\"" + css.toUri() + "\">\n"
                + "<style>body { margin: 0; padding: 16px; background: #f2f2f2; }</style>\n</head>\n<body>\n"
                + "<div class=\"k8spd-report\">\n<p class=\"back\"><a href=\"../../\">Back to the build</a> | "
                + "<a href=\"../\">All rollouts of this build</a></p>\n"
                + io.jenkins.plugins.k8sdeploy.engine.report.HtmlReport.section(v.model(), v.getNumber()) + "</div>\n</body>\n"
                + "</html>\n";
    }

    @Test
    void theRolloutPageDrawsItsChartTablesAndStyles() throws Exception {
        Path png = out.resolve("build-page-rollout.png");
        Files.deleteIfExists(png);
        chromium(List.of("--window-size=1366,2600", "--screenshot=" + png, out.resolve("rollout.html").toUri()
                .toString()));

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "no screenshot at " + png);
        assertEquals(1366, image.getWidth());
        int blue = 0;
        int red = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                blue += rgb == 0x0969da ? 1 : 0; // the weight line and its dots (rollout.css)
                red += rgb == 0xffebe9 ? 1 : 0; // the ABORTED and FAILED badges, the failure box (rollout.css)
            }
        }
        assertTrue(blue > 100, "the stylesheet drew the weight line: " + blue + " pixels");
        assertTrue(red > 100, "the stylesheet drew the outcome badges: " + red + " pixels");
        System.out.println("[build page] " + png);
    }

    @Test
    void theBrowsersDomHasTheRolloutAndNoMarkupFromTheRecord() throws Exception {
        String dom = chromium(List.of("--dump-dom", out.resolve("rollout.html").toUri().toString()));
        String hostile = chromium(List.of("--dump-dom", out.resolve("hostile.html").toUri().toString()));
        Files.writeString(out.resolve("rollout.dom.html"), dom, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("hostile.dom.html"), hostile, StandardCharsets.UTF_8);

        for (String text : List.of("https://127.0.0.1:46443", "canary-error-rate", "FAILED (decided the analysis)",
                "Pausing 10 s at 20%.", "Aborted: all traffic back to stable")) {
            assertTrue(dom.contains(text), "the page lacks " + text);
        }
        assertEquals(1, count(dom, "<svg"), "the chart");
        assertTrue(hostile.contains("Started &lt;script&gt;alert(1)&lt;/script&gt;"), "the event message is text");
        for (String tag : tags(hostile)) {
            assertFalse(tag.equals("script") || tag.equals("img"), "an element from the record: " + tag);
        }
        Matcher handler = Pattern.compile("<[a-z][^>]*\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(
                hostile.replaceAll("\"[^\"]*\"", "\"\""));
        assertFalse(handler.find(), "an event handler attribute in the DOM");
    }

    /** The names of the elements a serialized DOM holds, lower case. */
    private static List<String> tags(String dom) {
        Matcher m = Pattern.compile("<([a-zA-Z][a-zA-Z0-9-]*)").matcher(dom);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static int count(String s, String part) {
        return s.split(Pattern.quote(part), -1).length - 1;
    }

    // --- Chromium ---

    private static String chromium(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("rollout-page-chromium-");
        Path stdout = Files.createTempFile("rollout-page-", ".out");
        Path stderr = Files.createTempFile("rollout-page-", ".err");
        List<String> cmd = new ArrayList<>(List.of(findChromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--allow-file-access-from-files",
                "--user-data-dir=" + profile));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("Chromium did not finish in 120 s: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                fail("Chromium failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n"
                        + Files.readString(stderr));
            }
            return Files.readString(stdout);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String findChromium() {
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
                    return p.toString();
                }
            }
        }
        return fail("Chromium is needed for this test and is not on PATH or in /usr/bin: testbed/up installs"
                + " Debian's package (apt-get install chromium).");
    }
}
