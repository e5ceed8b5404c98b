package io.jenkins.plugins.k8sdeploy.engine.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import org.junit.jupiter.api.Test;

/** The one namespace rule: asked for, else the kubeconfig context's, else "default". */
class NamespacesTest {
    private static final ClusterConnection NO_CONTEXT_NAMESPACE =
            ClusterConnection.ofToken("https://k8s.example:6443", null, "token");
    private static final ClusterConnection CONTEXT_IN_SHOP = NO_CONTEXT_NAMESPACE.withDefaultNamespace("shop");

    @Test
    void theNamespaceAskedForWins() {
        assertEquals("web", Namespaces.effective("web", CONTEXT_IN_SHOP));
        assertEquals("web", Namespaces.effective("web", NO_CONTEXT_NAMESPACE));
    }

    @Test
    void noneAskedForIsTheContextsNamespace() {
        assertEquals("shop", Namespaces.effective(null, CONTEXT_IN_SHOP));
    }

    @Test
    void noneAskedForAndNoneInTheContextIsDefault() {
        assertEquals("default", Namespaces.effective(null, NO_CONTEXT_NAMESPACE));
    }
}
