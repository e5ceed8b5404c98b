package io.jenkins.plugins.k8sdeploy.engine.manifest;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what the user named (patterns and inline YAML) into parsed manifests: reads each file once, substitutes
 * variables only when a map is given, and parses safely. Any problem is an error before anything reaches the cluster.
 */
public final class ManifestLoader {
    private ManifestLoader() {}

    /**
     * @param variables the only values {@code ${NAME}} may take, or {@code null} to leave manifests as written
     */
    public static List<Manifest> load(
            List<String> patterns, String inlineYaml, Map<String, String> variables, ManifestFiles files)
            throws DeployException, IOException, InterruptedException {
        List<ManifestSource> sources = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String pattern : patterns) {
            List<String> matched = files.expand(pattern);
            if (matched.isEmpty()) {
                throw new DeployException("The manifest pattern '" + pattern + "' matched no file. Expected a file,"
                        + " a directory of .yaml/.yml/.json files or a glob such as 'k8s/*.yaml', relative to the"
                        + " workspace.");
            }
            for (String file : matched) {
                if (seen.add(file)) {
                    String text = files.read(file, ManifestParser.MAX_SOURCE_CHARS);
                    sources.add(new ManifestSource(file, text));
                }
            }
        }
        if (inlineYaml != null && !inlineYaml.isBlank()) {
            sources.add(new ManifestSource("inline YAML", inlineYaml));
        }
        if (sources.isEmpty()) {
            throw new DeployException("No manifests were given. Expected manifests (files, directories or globs) or"
                    + " inline YAML.");
        }
        List<Manifest> manifests = new ArrayList<>();
        for (ManifestSource source : sources) {
            ManifestSource text = variables == null ? source : Substitution.apply(source, variables);
            manifests.addAll(ManifestParser.parse(text));
        }
        if (manifests.isEmpty()) {
            throw new DeployException("The manifests hold no Kubernetes object (" + String.join(", ", seen)
                    + "). Expected at least one document with apiVersion, kind and metadata.name.");
        }
        return manifests;
    }
}
