package io.jenkins.plugins.k8sdeploy.engine.traffic;

import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.RESET;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.maps;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.string;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Gateway API: splits traffic in the {@code gateway.networking.k8s.io/v1} HTTPRoute {@link RouterSpec#name()}. In every
 * rule with the stable Service among its backendRefs, stable gets {@code 100 - w} and a backendRef to the canary
 * Service (a copy of stable's: same port and filters) gets {@code w}:
 *
 * <pre>
 * rules:
 * - matches: [{path: {type: PathPrefix, value: /}}]   # the user's: kept
 *   backendRefs:
 *   - {name: web, port: 80, weight: 80}
 *   - {name: web-canary, port: 80, weight: 20}
 * </pre>
 *
 * <p>Reset removes the canary backendRefs and gives stable weight 100. Other rules, matches, filters and timeouts stay
 * as the user wrote them.
 *
 * <p>Once the weights read back, a write also waits (at most {@link #PROGRAMMED_WAIT}) until every Gateway controller
 * that reports on the route in {@code status.parents} has accepted the route's new generation (its {@code Accepted}
 * condition's {@code observedGeneration}): the object holding the weights is not yet the data plane sending requests
 * by them, and an abort scales the canary down right after the reset. A route no controller reports on is not waited
 * for. Measured with Traefik in the test bed: without this wait, requests sent after an abort's read-back still
 * reached the canary, and some found its pods gone.
 */
public final class GatewayApiRouter implements TrafficRouter {
    static final String API_VERSION = "gateway.networking.k8s.io/v1";
    /** A backendRef without a weight has weight 1 (Gateway API's default). */
    private static final int DEFAULT_WEIGHT = 1;
    /** How long a write waits for the route's controllers to accept it. */
    static final Duration PROGRAMMED_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 25;

    private final RouterSpec spec;
    private final String namespace;

    GatewayApiRouter(RouterSpec spec, String namespace) {
        this.spec = spec;
        this.namespace = namespace;
    }

    @Override
    public String describe() {
        return "Gateway API HTTPRoute " + spec.name() + " in " + namespace;
    }

    @Override
    public void check(KubeCluster cluster, CanaryServices services) throws DeployException {
        targets(rules(cluster), services);
    }

    @Override
    public void setWeight(KubeCluster cluster, CanaryServices services, int weight) throws DeployException {
        write(cluster, services, RouterSupport.checkWeight(weight));
    }

    @Override
    public int weight(KubeCluster cluster, CanaryServices services) throws DeployException {
        return RouterSupport.canaryWeight(maps(targets(rules(cluster), services).get(0).get("backendRefs")),
                ref(services.canaryService(), services), DEFAULT_WEIGHT);
    }

    @Override
    public void reset(KubeCluster cluster, CanaryServices services) throws DeployException {
        write(cluster, services, RESET);
    }

    private void write(KubeCluster cluster, CanaryServices services, int weight) throws DeployException {
        List<Map<String, Object>> rules = rules(cluster);
        Predicate<Map<String, Object>> stable = ref(services.stableService(), services);
        Predicate<Map<String, Object>> canary = ref(services.canaryService(), services);
        for (Map<String, Object> rule : targets(rules, services)) {
            rule.put("backendRefs", RouterSupport.reweigh(maps(rule.get("backendRefs")), stable, canary, c -> {
                c.put("name", services.canaryService());
                return c;
            }, weight));
        }
        cluster.mergePatch(kind(cluster), namespace, spec.name(), Map.of("spec", Map.of("rules", rules)));
        List<Map<String, Object>> after = rules(cluster);
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> rule : targets(after, services)) {
            String m = RouterSupport.mismatch(maps(rule.get("backendRefs")), stable, canary, weight, DEFAULT_WEIGHT);
            problems.add(m == null ? null : "rule " + (after.indexOf(rule) + 1) + ": " + m);
        }
        RouterSupport.verify(describe(), weight, problems);
        awaitControllers(cluster);
    }

    /** Waits until every controller reporting in the route's status has accepted its current generation. */
    private void awaitControllers(KubeCluster cluster) throws DeployException {
        long end = System.nanoTime() + PROGRAMMED_WAIT.toNanos();
        while (true) {
            GenericKubernetesResource route = cluster.get(kind(cluster), namespace, spec.name());
            if (route == null || caughtUp(route) || System.nanoTime() > end) {
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("Interrupted while waiting for the Gateway controllers to accept "
                        + describe() + ".");
            }
        }
    }

    /** True when no parent in the status has an Accepted condition older than the route's generation. */
    static boolean caughtUp(GenericKubernetesResource route) {
        Long generation = route.getMetadata().getGeneration();
        if (generation == null) {
            return true;
        }
        for (Map<String, Object> parent : maps(RouterSupport.map(route.getAdditionalProperties().get("status"))
                .get("parents"))) {
            for (Map<String, Object> c : maps(parent.get("conditions"))) {
                if ("Accepted".equals(c.get("type")) && c.get("observedGeneration") instanceof Number n
                        && n.longValue() < generation) {
                    return false;
                }
            }
        }
        return true;
    }

    private ResourceKind kind(KubeCluster cluster) throws DeployException {
        return RouterSupport.kind(cluster, API_VERSION, "HTTPRoute", "httproutes",
                "the Gateway API standard channel, v1.0 or later");
    }

    /** A copy of the HTTPRoute's rules, safe to edit. */
    private List<Map<String, Object>> rules(KubeCluster cluster) throws DeployException {
        RouterSupport.requireName(spec.name(), "the HTTPRoute");
        return maps(RouterSupport.spec(RouterSupport.require(cluster, kind(cluster), namespace, spec.name(),
                describe(), "an HTTPRoute with a rule whose backendRefs include the stable service")).get("rules"));
    }

    private List<Map<String, Object>> targets(List<Map<String, Object>> rules, CanaryServices services)
            throws DeployException {
        List<Map<String, Object>> targets = rules.stream()
                .filter(r -> maps(r.get("backendRefs")).stream().anyMatch(ref(services.stableService(), services)))
                .toList();
        if (targets.isEmpty()) {
            throw new DeployException(describe() + " has no rule with a backendRef to service "
                    + services.stableService() + "; its rules go to: " + RouterSupport.join(rules.stream()
                            .flatMap(r -> maps(r.get("backendRefs")).stream()).map(b -> b.get("name")).toList()) + ".");
        }
        return targets;
    }

    /** A backendRef to the Service {@code name} in the services' namespace (kind and group default to Service). */
    private Predicate<Map<String, Object>> ref(String name, CanaryServices services) {
        return b -> name.equals(b.get("name"))
                && (b.get("kind") == null || "Service".equals(b.get("kind")))
                && (b.get("group") == null || "".equals(b.get("group")))
                && services.namespace().equals(b.get("namespace") == null ? namespace : string(b.get("namespace")));
    }
}
