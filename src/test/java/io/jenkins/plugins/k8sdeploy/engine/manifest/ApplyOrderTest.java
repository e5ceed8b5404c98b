package io.jenkins.plugins.k8sdeploy.engine.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyOrderTest {

    static Manifest m(String apiVersion, String kind, String name) {
        return new Manifest(apiVersion, kind, name, null, Map.of(), "test");
    }

    @Test
    void dependenciesComeFirstAndFileOrderIsKeptWithinAKind() {
        List<Manifest> in = List.of(
                m("example.com/v1", "Widget", "w"),
                m("apps/v1", "Deployment", "web"),
                m("v1", "Service", "web"),
                m("v1", "ConfigMap", "b"),
                m("v1", "ConfigMap", "a"),
                m("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
                m("v1", "Namespace", "shop"));

        List<String> out = ApplyOrder.sort(in).stream().map(Manifest::describe).toList();

        assertEquals(List.of("Namespace/shop", "CustomResourceDefinition/widgets.example.com", "ConfigMap/b",
                "ConfigMap/a", "Service/web", "Deployment/web", "Widget/w"), out);
    }
}
