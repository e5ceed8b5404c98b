package io.jenkins.plugins.k8sdeploy.engine.traffic;

import java.io.Serializable;
import java.util.List;

/**
 * Which router splits the traffic of a canary, as the user named it: plain serializable data, kept in a step's state.
 *
 * @param type the kind of router
 * @param name the router object: the VirtualService, the stable Ingress, the HTTPRoute or the TrafficSplit
 * @param routes Istio: the names of the HTTP routes to change (empty: every route that reaches the stable service);
 *     Gateway API: ignored (every rule that has the stable service as a backend is changed)
 * @param stableSubset Istio subsets mode: the DestinationRule subset of stable ({@code null}: hosts mode)
 * @param canarySubset Istio subsets mode: the DestinationRule subset of the canary
 * @param destinationRule Istio subsets mode: the DestinationRule whose subsets' labels are set
 */
public record RouterSpec(
        Type type,
        String name,
        List<String> routes,
        String stableSubset,
        String canarySubset,
        String destinationRule) implements Serializable {

    public enum Type {
        ISTIO,
        NGINX,
        GATEWAY_API,
        SMI
    }

    public RouterSpec {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    public static RouterSpec of(Type type, String name) {
        return new RouterSpec(type, name, List.of(), null, null, null);
    }
}
