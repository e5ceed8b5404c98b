package io.jenkins.plugins.k8sdeploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.cli.Main;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The report of a recorded demo run, made the way a user outside Jenkins makes it ({@code k8spd report --unit %
 * v2-canary.json v3-canary.json -o report.html}) and looked at in headless Chromium: a screenshot at laptop width and
 * the DOM the browser parsed, which must show the weight chart, the error-rate series of both tracks, the approval,
 * the measurement that decided the abort and the abort's reason, and hold no script. Files stay in
 * {@code target/demo-report/}.
 */
@Tag("browser")
class DemoReportBrowserTest {
    private static Path out;
    private static Path html;
    private static DeployRecord v2;
    private static DeployRecord v3;

    @BeforeAll
    static void render() throws Exception {
        v2 = DemoFixtures.v2();
        v3 = DemoFixtures.v3();
        out = Path.of("target", "demo-report").toAbsolutePath();
        Files.createDirectories(out);
        html = out.resolve("report.html");
        Files.deleteIfExists(html);
        int exit = Main.run("report", "--unit", "%", "--title", "k8spd demo (recorded run)",
                DemoFixtures.path("v2-canary.json").toString(), DemoFixtures.path("v3-canary.json").toString(),
                "-o", html.toString());
        assertEquals(0, exit, "k8spd report exit code");
        assertTrue(Files.size(html) > 10_000, "a report of two canaries: " + Files.size(html) + " bytes");
        System.out.println("[demo report] " + html);
    }

    @Test
    void screenshotAtLaptopWidthShowsThePage() throws Exception {
        Path png = out.resolve("report-1366x900.png");
        Files.deleteIfExists(png);
        Chromium.run(html, "--window-size=1366,900", "--screenshot=" + png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1366, image.getWidth());
        assertEquals(900, image.getHeight());
        int blue = 0;
        int dark = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                if (b > 150 && r < 80 && g < 140) {
                    blue++; // the weight line (#0969da-ish) and links
                }
                if (r + g + b < 200) {
                    dark++; // text
                }
            }
        }
        assertTrue(dark > 1000, "text on the first screen: " + dark + " dark pixels");
        assertTrue(blue > 100, "the weight chart is on the first screen at 1366 px: " + blue + " blue pixels");
        Path full = out.resolve("report-1366-full.png");
        Chromium.run(html, "--window-size=1366,5200", "--screenshot=" + full);
        assertTrue(Files.size(full) > Files.size(png), "the whole report, for a person to look at: " + full);
        System.out.println("[demo report] screenshots: " + png + ", " + full);
    }

    @Test
    void browserShowsChartSeriesApprovalAndTheAbortWithWhatDecidedIt() throws Exception {
        String dom = Chromium.run(html, "--window-size=1366,900", "--dump-dom");
        Files.writeString(out.resolve("report.dom.html"), dom, StandardCharsets.UTF_8);

        assertTrue(dom.contains("<h1>k8spd demo (recorded run)</h1>"), dom.substring(0, Math.min(300, dom.length())));
        // the weight chart of each rollout: a step line from 0 through 20% and 50% to 100% (v2), and back to 0 (v3)
        assertEquals(2, count(dom, "<polyline class=\"weight\""), "one weight line per rollout");
        assertTrue(dom.contains("canary weight (left axis, %)"));
        // the error rate of both tracks on the second axis, in both rollouts
        assertEquals(2, count(dom, "canary-error-rate (%) (right axis)"), "canary series in both charts");
        assertEquals(2, count(dom, "stable-error-rate (%) (right axis)"), "stable series in both charts");
        assertTrue(count(dom, "class=\"series-line\"") >= 4, "four series lines");
        // v2: the analysis passed and the approval was given
        assertTrue(dom.contains("Analysis 'errors' passed"), "v2's analysis verdict");
        assertTrue(dom.contains("<span class=\"approval-approved\">approved</span>"), "the approval");
        assertTrue(dom.contains("Promoted past 'approval' on request."), "what approved it");
        String gate = v2.events().stream().filter(e -> StrategyEvent.Type.APPROVAL_WAIT.equals(e.type())).findFirst()
                .orElseThrow().detail();
        assertTrue(dom.contains(gate), "what the approval gate asked: " + gate);
        // v3: the measurement that decided, with its query and value, and the abort's reason
        MeasurementRecord deciding = DemoFixtures.deciding(v3);
        assertNotNull(deciding, "the fixture's v3 analysis was decided by a measurement");
        assertTrue(dom.contains("FAILED" + AnalysisReports.DECIDING), "the deciding measurement is marked");
        String row = dom.substring(dom.indexOf("FAILED" + AnalysisReports.DECIDING) - 900,
                dom.indexOf("FAILED" + AnalysisReports.DECIDING));
        assertTrue(row.contains(">" + AnalysisReports.number(deciding.values().get(0)) + "<"), "its value: " + row);
        assertTrue(row.contains("track=\"canary\",code=~\"5..\"}[10s]"), "its query, in full: " + row);
        assertTrue(dom.contains("<td>abort</td>"), "the abort is in the table of stops");
        assertTrue(dom.contains("Analysis 'errors' failed: metric 'canary-error-rate' failed 2 times, more than"
                + " failureLimit 1"), "the abort's reason");
        assertTrue(dom.contains("ABORTED"), "v3's outcome");

        List<Chromium.Tag> tags = Chromium.tags(dom);
        Map<String, Long> counts = new TreeMap<>();
        for (Chromium.Tag t : tags) {
            counts.merge(t.name(), 1L, Long::sum);
            assertFalse(t.name().equals("script"), "a script element: " + t.text());
            assertFalse(t.name().equals("?"), "unparsed markup: " + t.text());
            assertTrue(t.attributes().stream().noneMatch(a -> a.startsWith("on")), "an event handler: " + t.text());
        }
        assertEquals(2L, counts.get("svg"), "one chart per rollout: " + counts);
        assertEquals(2L, counts.get("section"), counts.toString());
    }

    @Test
    void printsToPdf() throws Exception {
        Path pdf = out.resolve("report.pdf");
        Files.deleteIfExists(pdf);
        Chromium.run(html, "--no-pdf-header-footer", "--print-to-pdf=" + pdf);
        byte[] bytes = Files.readAllBytes(pdf);
        assertEquals("%PDF", new String(bytes, 0, 4, StandardCharsets.ISO_8859_1));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
