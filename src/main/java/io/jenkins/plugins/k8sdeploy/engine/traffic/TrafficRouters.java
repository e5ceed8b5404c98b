package io.jenkins.plugins.k8sdeploy.engine.traffic;

/** The router for a {@link RouterSpec}. */
public final class TrafficRouters {
    private TrafficRouters() {}

    /**
     * The router the spec names, for a router object in {@code namespace}. Nothing is checked here: {@link
     * TrafficRouter#check} says what is missing or wrong, before a canary starts.
     */
    public static TrafficRouter of(RouterSpec spec, String namespace) {
        return switch (spec.type()) {
            case ISTIO -> new IstioRouter(spec, namespace);
            case NGINX -> new NginxIngressRouter(spec, namespace);
            case GATEWAY_API -> new GatewayApiRouter(spec, namespace);
            case SMI -> new SmiRouter(spec, namespace);
        };
    }
}
