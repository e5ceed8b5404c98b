package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin, as an administrator installs it: {@code target/k8s-progressive-delivery.hpi} bundles no library
 * that a Jenkins plugin already provides (fabric8, Jackson, SnakeYAML and Commons Math come from their API plugins),
 * and a plain Jenkins 2.555.3 ({@code java -jar jenkins.war}) with that file and the plugins it needs starts with it
 * active, without a warning about it, and shows its global configuration.
 *
 * <p>An integration test (failsafe, after {@code package}) of the real build only: the offline build packages no
 * {@code .hpi}.
 */
@Tag("jenkins")
class PackagedPluginIT {
    private static final Path HPI = Path.of("target", "k8s-progressive-delivery.hpi");

    @TempDir
    Path home;

    @Test
    void theHpiBundlesOnlyWhatNoPluginProvides() throws IOException {
        assertTrue(Files.isRegularFile(HPI), "no " + HPI.toAbsolutePath() + " (run after mvn package)");
        TreeSet<String> libs = new TreeSet<>();
        Manifest manifest;
        try (JarFile hpi = new JarFile(HPI.toFile())) {
            for (ZipEntry e : hpi.stream().toList()) {
                if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
                    libs.add(e.getName().substring("WEB-INF/lib/".length()).replaceAll("-[0-9][^-]*\\.jar$", ""));
                }
            }
            manifest = hpi.getManifest();
        }
        // kubernetes-httpclient-jdk: fabric8's JDK transport, which the kubernetes-client-api plugin does not ship
        // (it ships OkHttp, a thread per watch); its own classes only, everything else from that plugin.
        assertEquals(List.of("java-diff-utils", "k8s-progressive-delivery.jar", "kubernetes-httpclient-jdk", "picocli"),
                List.copyOf(libs), "bundled in WEB-INF/lib");
        String deps = manifest.getMainAttributes().getValue("Plugin-Dependencies");
        for (String api : List.of("kubernetes-client-api:", "jackson2-api:", "snakeyaml-api:", "commons-math3-api:",
                "credentials:", "plain-credentials:", "workflow-step-api:", "structs:")) {
            assertTrue(deps.contains(api), "Plugin-Dependencies lacks " + api + ": " + deps);
        }
        assertEquals("2.555.3", manifest.getMainAttributes().getValue("Jenkins-Version"));
    }

    @Test
    void aPlainJenkinsStartsWithThePackagedPluginActive() throws Exception {
        Path war = Path.of(System.getProperty("k8spd.jenkins.war", "jenkins.war"));
        Path dependencies = Path.of("target", "test-classes", "test-dependencies");
        assertTrue(Files.isRegularFile(war), "no jenkins.war at " + war + " (k8spd.jenkins.war)");
        assertTrue(Files.isDirectory(dependencies), "no plugins at " + dependencies);
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        try (Stream<Path> s = Files.list(dependencies)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".hpi") || p.toString().endsWith(".jpi")).toList()) {
                String name = p.getFileName().toString().replaceAll("\\.[hj]pi$", "");
                if (!name.equals("k8s-progressive-delivery")) { // the one under test comes from target/, packaged
                    Files.copy(p, plugins.resolve(name + ".jpi"));
                }
            }
        }
        Files.copy(HPI, plugins.resolve("k8s-progressive-delivery.jpi"));

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = home.resolve("jenkins.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djenkins.install.runSetupWizard=false", "-Dhudson.model.UpdateCenter.never=true",
                "-Djava.awt.headless=true", "-jar", war.toString(), "--httpPort=" + port,
                "--httpListenAddress=127.0.0.1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JENKINS_HOME", home.toString());
        Process jenkins = pb.start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (!Files.readString(log).contains("Jenkins is fully up and running")) {
                if (!jenkins.isAlive() || Instant.now().isAfter(deadline)) {
                    fail("Jenkins did not start:\n" + Files.readString(log));
                }
                Thread.sleep(500);
            }
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port + "/";
            String plugin = get(http, base + "pluginManager/plugin/k8s-progressive-delivery/api/json");
            assertTrue(plugin.contains("\"active\":true") && plugin.contains("\"enabled\":true"), plugin);
            assertTrue(get(http, base + "manage/configure").contains("Progressive delivery"),
                    "the global configuration shows the plugin's section");

            List<String> about = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("k8s-progressive-delivery") || l.contains("io.jenkins.plugins.k8sdeploy"))
                    .filter(l -> l.contains("WARNING") || l.contains("SEVERE") || l.contains("Exception")).toList();
            assertEquals(List.of(), about, "warnings about the plugin at start-up");
            assertTrue(Files.readAllLines(log).stream().noneMatch(l -> l.contains("Failed Loading plugin")
                    || l.contains("Failed to load:")), Files.readString(log));
        } finally {
            jenkins.destroy();
            if (!jenkins.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                jenkins.destroyForcibly();
            }
            try (Stream<Path> walk = Files.walk(home)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(200, r.statusCode(), url + ":\n" + body);
            return body;
        }
    }
}
