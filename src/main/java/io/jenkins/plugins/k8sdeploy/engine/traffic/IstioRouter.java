package io.jenkins.plugins.k8sdeploy.engine.traffic;

import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.RESET;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.map;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.maps;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.string;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Istio: splits traffic in the {@code networking.istio.io/v1} VirtualService {@link RouterSpec#name()}.
 *
 * <p><b>Hosts mode</b> (no stable subset): every HTTP route (or each route named in {@link RouterSpec#routes()}) with a
 * destination to the stable Service gets stable at {@code 100 - w} and a destination to the canary Service at
 * {@code w}, added right after the stable one with the same suffix and port ({@code web.shop} gives
 * {@code web-canary.shop}):
 *
 * <pre>
 * http:
 * - name: primary
 *   timeout: 5s                          # the user's: kept
 *   route:
 *   - {destination: {host: web}, weight: 80}
 *   - {destination: {host: web-canary}, weight: 20}
 * </pre>
 *
 * <p><b>Subsets mode</b>: the same destinations with one host and {@code subset: stable} / {@code subset: canary};
 * before the weights are written, the DestinationRule {@link RouterSpec#destinationRule()} gets each version's pod
 * labels (the canary subset is added when absent):
 *
 * <pre>
 * subsets:
 * - {name: stable, labels: {app: web, pod-template-hash: 6d4b7c}}
 * - {name: canary, labels: {app: web, pod-template-hash: 84f9d2}}
 * </pre>
 *
 * <p>Reset removes the canary destinations (and then the canary subset) and gives stable 100. Only HTTP routes are
 * changed; TCP and TLS routes, matches, retries, timeouts and other routes stay as the user wrote them.
 */
public final class IstioRouter implements TrafficRouter {
    static final String API_VERSION = "networking.istio.io/v1";

    private final RouterSpec spec;
    private final String namespace;

    IstioRouter(RouterSpec spec, String namespace) {
        this.spec = spec;
        this.namespace = namespace;
    }

    @Override
    public String describe() {
        return "Istio VirtualService " + spec.name() + " in " + namespace;
    }

    @Override
    public void check(KubeCluster cluster, CanaryServices services) throws DeployException {
        validate();
        targets(httpRoutes(cluster), services);
        if (subsets()) {
            subsetsOf(cluster, services);
        }
    }

    @Override
    public void setWeight(KubeCluster cluster, CanaryServices services, int weight) throws DeployException {
        write(cluster, services, RouterSupport.checkWeight(weight));
    }

    @Override
    public int weight(KubeCluster cluster, CanaryServices services) throws DeployException {
        validate();
        return RouterSupport.canaryWeight(maps(targets(httpRoutes(cluster), services).get(0).get("route")),
                canary(services), 0);
    }

    @Override
    public void reset(KubeCluster cluster, CanaryServices services) throws DeployException {
        write(cluster, services, RESET);
    }

    private void write(KubeCluster cluster, CanaryServices services, int weight) throws DeployException {
        validate();
        List<Map<String, Object>> http = httpRoutes(cluster);
        List<Map<String, Object>> targets = targets(http, services);
        if (subsets() && weight != RESET) {
            writeSubsets(cluster, services, weight); // the canary subset must exist before traffic goes to it
        }
        for (Map<String, Object> route : targets) {
            route.put("route", RouterSupport.reweigh(maps(route.get("route")), stable(services), canary(services),
                    c -> newCanary(c, services), weight));
        }
        cluster.mergePatch(virtualService(cluster), namespace, spec.name(), Map.of("spec", Map.of("http", http)));
        if (subsets() && weight == RESET) {
            writeSubsets(cluster, services, weight);
        }
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> route : targets(httpRoutes(cluster), services)) {
            String m = RouterSupport.mismatch(maps(route.get("route")), stable(services), canary(services), weight, 0);
            problems.add(m == null ? null : "route " + routeName(route) + ": " + m);
        }
        RouterSupport.verify(describe(), weight, problems);
    }

    private boolean subsets() {
        return spec.stableSubset() != null;
    }

    private void validate() throws DeployException {
        RouterSupport.requireName(spec.name(), "the Istio VirtualService");
        if (subsets() && (isBlank(spec.canarySubset()) || isBlank(spec.destinationRule()))) {
            throw new DeployException("Istio subsets mode needs the canary subset and the DestinationRule besides the"
                    + " stable subset " + spec.stableSubset() + "; given: canary subset " + spec.canarySubset()
                    + ", DestinationRule " + spec.destinationRule() + ".");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private ResourceKind virtualService(KubeCluster cluster) throws DeployException {
        return RouterSupport.kind(cluster, API_VERSION, "VirtualService", "virtualservices", "Istio 1.22 or later");
    }

    private ResourceKind destinationRule(KubeCluster cluster) throws DeployException {
        return RouterSupport.kind(cluster, API_VERSION, "DestinationRule", "destinationrules", "Istio 1.22 or later");
    }

    /** A copy of the VirtualService's HTTP routes, safe to edit. */
    private List<Map<String, Object>> httpRoutes(KubeCluster cluster) throws DeployException {
        return maps(RouterSupport.spec(RouterSupport.require(cluster, virtualService(cluster), namespace, spec.name(),
                describe(), "a VirtualService with an HTTP route to the stable service")).get("http"));
    }

    /** The routes to change (elements of {@code http}); fails saying what the routes go to when there are none. */
    private List<Map<String, Object>> targets(List<Map<String, Object>> http, CanaryServices services)
            throws DeployException {
        Predicate<Map<String, Object>> toStable = r -> maps(r.get("route")).stream().anyMatch(stable(services));
        String wanted = "service " + services.stableService() + (subsets() ? " subset " + spec.stableSubset() : "");
        if (spec.routes().isEmpty()) {
            List<Map<String, Object>> targets = http.stream().filter(toStable).toList();
            if (targets.isEmpty()) {
                throw new DeployException(describe() + " has no HTTP route to " + wanted + "; its routes go to: "
                        + RouterSupport.join(http.stream().flatMap(r -> maps(r.get("route")).stream())
                                .map(IstioRouter::destination).toList()) + ".");
            }
            return targets;
        }
        List<Map<String, Object>> targets = new ArrayList<>();
        for (String name : spec.routes()) {
            Map<String, Object> route = http.stream().filter(r -> name.equals(r.get("name"))).findFirst().orElse(null);
            if (route == null || !toStable.test(route)) {
                throw new DeployException(describe() + " has no HTTP route named " + name + " to " + wanted
                        + "; its HTTP routes: " + RouterSupport.join(http.stream().map(r -> routeName(r) + " (to "
                                + RouterSupport.join(maps(r.get("route")).stream().map(IstioRouter::destination)
                                        .toList()) + ")").toList()) + ".");
            }
            targets.add(route);
        }
        return targets;
    }

    private static String routeName(Map<String, Object> route) {
        return route.get("name") == null ? "(unnamed)" : string(route.get("name"));
    }

    private static String destination(Map<String, Object> entry) {
        Map<String, Object> d = map(entry.get("destination"));
        return d.get("subset") == null ? string(d.get("host")) : d.get("host") + " (subset " + d.get("subset") + ")";
    }

    private Predicate<Map<String, Object>> stable(CanaryServices services) {
        return e -> isHost(e, services.stableService(), services)
                && (!subsets() || spec.stableSubset().equals(map(e.get("destination")).get("subset")));
    }

    private Predicate<Map<String, Object>> canary(CanaryServices services) {
        return subsets()
                ? e -> isHost(e, services.stableService(), services)
                        && spec.canarySubset().equals(map(e.get("destination")).get("subset"))
                : e -> isHost(e, services.canaryService(), services);
    }

    /** Istio's short and long names of a Service: web, web.shop, web.shop.svc, web.shop.svc.cluster.local. */
    private static boolean isHost(Map<String, Object> entry, String service, CanaryServices services) {
        String host = string(map(entry.get("destination")).get("host"));
        String ns = services.namespace();
        return host != null && (host.equals(service) || host.equals(service + "." + ns)
                || host.equals(service + "." + ns + ".svc") || host.equals(service + "." + ns + ".svc.cluster.local"));
    }

    private Map<String, Object> newCanary(Map<String, Object> stableCopy, CanaryServices services) {
        Map<String, Object> d = map(stableCopy.get("destination"));
        if (subsets()) {
            d.put("subset", spec.canarySubset());
        } else {
            String host = string(d.get("host"));
            d.put("host", services.canaryService() + host.substring(services.stableService().length()));
        }
        return stableCopy;
    }

    /** A copy of the DestinationRule's subsets, after checking it is for the stable host and has the stable subset. */
    private List<Map<String, Object>> subsetsOf(KubeCluster cluster, CanaryServices services) throws DeployException {
        String what = "Istio DestinationRule " + spec.destinationRule() + " in " + namespace;
        Map<String, Object> rule = RouterSupport.spec(RouterSupport.require(cluster, destinationRule(cluster),
                namespace, spec.destinationRule(), what, "a DestinationRule for host " + services.stableService()
                        + " with subset " + spec.stableSubset()));
        if (!isHost(Map.of("destination", Map.of("host", String.valueOf(rule.get("host")))), services.stableService(),
                services)) {
            throw new DeployException(what + " is for host " + rule.get("host") + "; expected the stable service "
                    + services.stableService() + ", whose subsets the VirtualService routes to.");
        }
        List<Map<String, Object>> subsets = maps(rule.get("subsets"));
        if (subsets.stream().noneMatch(s -> spec.stableSubset().equals(s.get("name")))) {
            throw new DeployException(what + " has no subset " + spec.stableSubset() + "; its subsets: "
                    + RouterSupport.join(subsets.stream().map(s -> s.get("name")).toList()) + ".");
        }
        return subsets;
    }

    /** Stable's subset selects stable's pods; canary's the canary's (added if absent, removed on reset). */
    private void writeSubsets(KubeCluster cluster, CanaryServices services, int weight) throws DeployException {
        List<Map<String, Object>> subsets = new ArrayList<>();
        boolean hasCanary = false;
        for (Map<String, Object> s : subsetsOf(cluster, services)) {
            if (spec.stableSubset().equals(s.get("name"))) {
                s.put("labels", new TreeMap<>(services.stablePodLabels()));
            } else if (spec.canarySubset().equals(s.get("name"))) {
                hasCanary = true;
                if (weight == RESET) {
                    continue;
                }
                s.put("labels", new TreeMap<>(services.canaryPodLabels()));
            }
            subsets.add(s);
        }
        if (!hasCanary && weight != RESET) {
            subsets.add(Map.of("name", spec.canarySubset(), "labels", new TreeMap<>(services.canaryPodLabels())));
        }
        cluster.mergePatch(destinationRule(cluster), namespace, spec.destinationRule(),
                Map.of("spec", Map.of("subsets", subsets)));
    }
}
