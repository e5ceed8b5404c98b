package io.jenkins.plugins.k8sdeploy.engine.apply;

import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The kinds a CustomResourceDefinition manifest will add, keyed "group/version|Kind", before it is applied. */
final class CrdKinds {
    private CrdKinds() {}

    static Map<String, ResourceKind> of(Manifest crd) {
        Map<String, ResourceKind> kinds = new HashMap<>();
        if (!(crd.body().get("spec") instanceof Map<?, ?> spec) || !(spec.get("names") instanceof Map<?, ?> names)) {
            return kinds;
        }
        String group = String.valueOf(spec.get("group"));
        String kind = String.valueOf(names.get("kind"));
        String plural = String.valueOf(names.get("plural"));
        boolean namespaced = !"Cluster".equals(spec.get("scope"));
        if (spec.get("versions") instanceof List<?> versions) {
            for (Object v : versions) {
                if (v instanceof Map<?, ?> version && !Boolean.FALSE.equals(version.get("served"))) {
                    String name = String.valueOf(version.get("name"));
                    kinds.put(group + "/" + name + "|" + kind, new ResourceKind(group, name, kind, plural, namespaced));
                }
            }
        }
        return kinds;
    }
}
