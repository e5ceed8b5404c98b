package io.jenkins.plugins.k8sdeploy.engine.manifest;

import java.util.Map;

/**
 * One Kubernetes object as the user wrote it, with where it came from.
 *
 * @param namespace as written in the manifest, or {@code null}
 * @param body the whole object as plain maps, lists and scalars
 * @param origin file (or "inline YAML") and the line its document starts on, for messages: "k8s/app.yaml:12"
 */
public record Manifest(
        String apiVersion, String kind, String name, String namespace, Map<String, Object> body, String origin) {

    /** "Deployment/web" or "Deployment/web in shop". */
    public String describe() {
        return kind + "/" + name + (namespace == null ? "" : " in " + namespace);
    }

    /** The API group: "apps" for apps/v1, "" for v1. */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
