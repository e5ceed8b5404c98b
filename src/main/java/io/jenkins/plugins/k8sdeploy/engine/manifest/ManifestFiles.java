package io.jenkins.plugins.k8sdeploy.engine.manifest;

import java.io.IOException;
import java.util.List;

/**
 * Where manifest files are read from: the local disk for the command line, a build agent's workspace in Jenkins.
 * Patterns are a file, a directory (its *.yaml, *.yml and *.json files) or a glob, relative to the base.
 */
public interface ManifestFiles {
    /** The files one pattern names, relative to the base, sorted; empty when it names none. */
    List<String> expand(String pattern) throws IOException, InterruptedException;

    /** The text of one file from {@link #expand}; refuses files longer than {@code maxChars}. */
    String read(String file, int maxChars) throws IOException, InterruptedException;
}
