package io.jenkins.plugins.k8sdeploy.engine.apply;

import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;

/**
 * A manifest with what the cluster says about its kind and the namespace it goes to.
 *
 * @param namespace {@code null} for cluster-scoped kinds
 * @param deferred it can only be validated once a CRD or namespace earlier in the same deploy exists
 */
public record Planned(Manifest manifest, ResourceKind kind, String namespace, boolean deferred) {

    public String describe() {
        return manifest.kind() + "/" + manifest.name() + (namespace == null ? "" : " in " + namespace) + " ("
                + manifest.origin() + ")";
    }

    /** Namespaces and CRDs: what other objects of the same deploy may need to exist first. */
    public boolean isPrerequisite() {
        return "Namespace".equals(manifest.kind()) && "v1".equals(manifest.apiVersion())
                || "CustomResourceDefinition".equals(manifest.kind()) && "apiextensions.k8s.io".equals(manifest.group());
    }
}
