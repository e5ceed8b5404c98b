package io.jenkins.plugins.k8sdeploy.engine.traffic;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
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

    /**
     * Reads a router as users name it: {@code istio}, {@code nginx}, {@code gatewayApi} (or {@code gateway-api}),
     * {@code smi}; {@code null} or empty for none (weights by replica counts).
     *
     * @throws DeployException for an unknown router, or a router without the name of its object
     */
    public static RouterSpec parse(String type, String name, List<String> routes, String stableSubset,
            String canarySubset, String destinationRule) throws DeployException {
        if (type == null || type.isBlank()) {
            return null;
        }
        Type t = switch (type.strip().toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "")) {
            case "istio" -> Type.ISTIO;
            case "nginx" -> Type.NGINX;
            case "gatewayapi", "gateway", "httproute" -> Type.GATEWAY_API;
            case "smi", "trafficsplit" -> Type.SMI;
            default -> throw new DeployException("'" + type + "' is not a traffic router. Expected istio, nginx,"
                    + " gatewayApi or smi (or none, to split by replica counts).");
        };
        if (name == null || name.isBlank()) {
            throw new DeployException("The " + type + " router needs the name of its object (routerName): the"
                    + " VirtualService, the stable Ingress, the HTTPRoute or the TrafficSplit.");
        }
        if (t == Type.ISTIO && (stableSubset == null) != (canarySubset == null)) {
            throw new DeployException("Istio subsets need both stableSubset and canarySubset (or neither, to route by"
                    + " host).");
        }
        if (t == Type.ISTIO && stableSubset != null && destinationRule == null) {
            throw new DeployException("Istio subsets need the DestinationRule that defines them (destinationRule).");
        }
        return new RouterSpec(t, name.strip(), routes, stableSubset, canarySubset, destinationRule);
    }
}
