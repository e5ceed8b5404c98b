package io.jenkins.plugins.k8sdeploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/demo --jenkins --yes} as a user runs it: a real Jenkins with the plugin (mvn hpi:run), configured as
 * code, runs examples/demo/Jenkinsfile against the test bed; the script proceeds at the approval gate through the
 * gate's POST; v2 is promoted, v3 aborted by its analysis, the build succeeds, and the screenshots of the build page and
 * the rollout page are written. An integration test of the real build (it needs Jenkins built from source), after
 * {@code package}; about two and a half minutes.
 */
@Tag("jenkins")
@Tag("cluster")
@Tag("browser")
class DemoInJenkinsIT {

    @Test
    void theDemoRunsInJenkinsAndEndsWithItsScreenshots(@TempDir Path state) throws Exception {
        Path out = state.resolve("output.txt");
        ProcessBuilder pb = new ProcessBuilder("bin/demo", "--jenkins", "--yes").redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("K8SPD_DEMO_JENKINS_DIR", state.toString());
        Process demo = pb.start();
        if (!demo.waitFor(10, TimeUnit.MINUTES)) {
            demo.descendants().forEach(ProcessHandle::destroy);
            demo.destroy();
            demo.waitFor(60, TimeUnit.SECONDS);
            fail("bin/demo --jenkins --yes did not end within 10 minutes:\n" + Files.readString(out));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, demo.exitValue(), text);
        for (String line : List.of("Jenkins is up at http://127.0.0.1:", "(log in as demo, password ",
                "| First deploy of web", "| Analysis 'errors' passed", "approval gate waiting",
                "proceeded (HTTP 302)", "| Approved by demo: approved by bin/demo --jenkins --yes.",
                "| Promoted: Deployment/web runs web=registry.example/demo/web:2.0.0 on all pods",
                "| v3 was aborted by its analysis, as it should be: Analysis 'errors' failed",
                "| Finished: SUCCESS", "build 1: SUCCESS", "the build's 3 rollouts are on its page")) {
            assertTrue(text.contains(line), "the output lacks '" + line + "':\n" + text);
        }
        Matcher m = Pattern.compile("screenshots: (\\S+) \\(the build page\\) and (\\S+) \\(v2's canary\\)")
                .matcher(text);
        assertTrue(m.find(), text);
        for (String png : List.of(m.group(1), m.group(2))) {
            BufferedImage image = ImageIO.read(Path.of(png).toFile());
            assertNotNull(image, png);
            assertEquals(1400, image.getWidth(), png);
        }
    }
}
