package io.jenkins.plugins.k8sdeploy.engine.report;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The recorded runs under src/test/resources, and a small tag scanner for checking HTML. */
final class Fixtures {
    private Fixtures() {}

    /** A canary run: START, 20%, pause 5m, 50%, approval, promoted to 100%. */
    static DeployRecord promoted() {
        return load("canary-promoted.json");
    }

    /** A canary on Istio that aborted during its pause because the canary pods crash-looped. */
    static DeployRecord aborted() {
        return load("canary-aborted.json");
    }

    static DeployRecord load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return RecordJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    /** One start tag: its name and its attributes' names, lower case. */
    record Tag(String name, List<String> attributes, String text) {}

    private static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9:-]*)"
            + "((?:\\s+[^\\s\"'>/=]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`]+))?)*)\\s*/?>");
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "([^\\s\"'>/=]+)(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`]+))?");

    /**
     * Every start tag of serialized HTML (ours, or a browser's serialization of its DOM). Anything between tags is
     * text; a {@code <} that does not start a well-formed tag is reported as a tag named {@code "?"} so a test can
     * see it.
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
