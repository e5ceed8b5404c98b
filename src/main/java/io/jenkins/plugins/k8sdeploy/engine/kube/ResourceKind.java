package io.jenkins.plugins.k8sdeploy.engine.kube;

/**
 * What the API server says about one kind: where its objects live and whether they belong to a namespace.
 *
 * @param group "" for the core group
 * @param plural the resource name in URLs ("deployments")
 */
public record ResourceKind(String group, String version, String kind, String plural, boolean namespaced)
        implements java.io.Serializable {

    public static final ResourceKind DEPLOYMENT = new ResourceKind("apps", "v1", "Deployment", "deployments", true);
    public static final ResourceKind SERVICE = new ResourceKind("", "v1", "Service", "services", true);
    public static final ResourceKind HPA =
            new ResourceKind("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true);
    public static final ResourceKind INGRESS =
            new ResourceKind("networking.k8s.io", "v1", "Ingress", "ingresses", true);

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
