package io.jenkins.plugins.k8sdeploy.engine.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import org.junit.jupiter.api.Test;

/** The one namespace rule: asked for, else the kubeconfig context's, else "default". */
class NamespacesTest {
    @Test
    void theNamespaceAskedForWins() throws Exception {
        assertEquals("web", Namespaces.effective("web", connection().withDefaultNamespace("shop")));
        assertEquals("web", Namespaces.effective("web", connection()));
    }

    @Test
    void noneAskedForIsTheContextsNamespace() throws Exception {
        assertEquals("shop", Namespaces.effective(null, connection().withDefaultNamespace("shop")));
    }

    @Test
    void noneAskedForAndNoneInTheContextIsDefault() throws Exception {
        assertEquals("default", Namespaces.effective(null, connection()));
    }

    /** A connection whose kubeconfig context names no namespace. */
    private static ClusterConnection connection() throws Exception {
        return ClusterConnection.ofToken("https://k8s.example:6443", null, "token");
    }
}
