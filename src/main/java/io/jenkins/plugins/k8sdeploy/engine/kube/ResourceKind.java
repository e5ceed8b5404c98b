package io.jenkins.plugins.k8sdeploy.engine.kube;

/**
 * What the API server says about one kind: where its objects live and whether they belong to a namespace.
 *
 * @param group "" for the core group
 * @param plural the resource name in URLs ("deployments")
 */
public record ResourceKind(String group, String version, String kind, String plural, boolean namespaced)
        implements java.io.Serializable {

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
