package io.jenkins.plugins.k8sdeploy.demo;

import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * Debian's Chromium, headless, for the demo report's tests: screenshots and the DOM as the browser parsed it.
 * testbed/up installs it (and the engine's ReportBrowserTest installs it when missing); these tests fail, never skip,
 * without it.
 */
final class Chromium {
    private static final long RUN_TIMEOUT_SECONDS = 120;

    private Chromium() {}

    /** The chromium executable on PATH or in /usr/bin; fails the test when there is none. */
    static Path find() {
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
        return fail("Chromium is needed to check the report in a browser: testbed/up installs Debian's chromium"
                + " package (apt-get install chromium).");
    }

    /** Chromium headless on {@code page} with {@code args}; its standard output (the DOM for --dump-dom). */
    static String run(Path page, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("demo-chromium-");
        Path stdout = Files.createTempFile("demo-chromium-", ".out");
        Path stderr = Files.createTempFile("demo-chromium-", ".err");
        try {
            List<String> cmd = new ArrayList<>(List.of(find().toString(), "--headless=new", "--no-sandbox",
                    "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                    "--user-data-dir=" + profile));
            cmd.addAll(List.of(args));
            cmd.add(page.toUri().toString());
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("Chromium took more than " + RUN_TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
            }
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail("Chromium failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n"
                        + err.substring(Math.max(0, err.length() - 3000)));
            }
            return new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** One start tag of serialized HTML: its name and its attributes' names, lower case. */
    record Tag(String name, List<String> attributes, String text) {}

    private static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9:-]*)"
            + "((?:\\s+[^\\s\"'>/=]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`]+))?)*)\\s*/?>");
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "([^\\s\"'>/=]+)(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`]+))?");

    /**
     * Every start tag of serialized HTML; a {@code <} that starts no well-formed tag is a tag named {@code "?"}, so a
     * test sees it.
     */
    static List<Tag> tags(String html) {
        List<Tag> tags = new ArrayList<>();
        int i = 0;
        while ((i = html.indexOf('<', i)) >= 0) {
            if (html.startsWith("</", i) || html.startsWith("<!", i)) {
                i = html.indexOf('>', i) + 1;
                if (i == 0) {
                    break;
                }
                continue;
            }
            Matcher m = TAG.matcher(html).region(i, html.length());
            if (!m.lookingAt()) {
                tags.add(new Tag("?", List.of(), html.substring(i, Math.min(html.length(), i + 60))));
                i++;
                continue;
            }
            List<String> attributes = new ArrayList<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) {
                attributes.add(a.group(1).toLowerCase(Locale.ROOT));
            }
            tags.add(new Tag(m.group(1).toLowerCase(Locale.ROOT), attributes, m.group()));
            i = m.end();
        }
        return tags;
    }
}
