package io.jenkins.plugins.k8sdeploy.engine.manifest;

/**
 * The text of one manifest file (or of inline YAML) and where it came from, for messages.
 *
 * @param origin a path relative to where manifests are looked up, or {@code "inline YAML"}
 */
public record ManifestSource(String origin, String text) {}
