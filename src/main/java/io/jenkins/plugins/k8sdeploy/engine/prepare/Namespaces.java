package io.jenkins.plugins.k8sdeploy.engine.prepare;

import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;

/** The one rule for the namespace a deploy or a command works in, when it names none. */
public final class Namespaces {
    /** Where objects go when neither the request nor the kubeconfig context names a namespace. */
    public static final String DEFAULT = "default";

    private Namespaces() {}

    /**
     * The namespace asked for, else the kubeconfig context's (or a named cluster's), else {@value #DEFAULT}.
     *
     * @param requested {@code null} when none was asked for (front ends turn a blank parameter into {@code null})
     */
    public static String effective(String requested, ClusterConnection connection) {
        if (requested != null) {
            return requested;
        }
        return connection.defaultNamespace() != null ? connection.defaultNamespace() : DEFAULT;
    }
}
