package io.jenkins.plugins.k8sdeploy.engine.traffic;

import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.RESET;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.maps;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * SMI: splits traffic in the {@code split.smi-spec.io/v1alpha2} TrafficSplit {@link RouterSpec#name()} (Linkerd, Open
 * Service Mesh): stable's backend gets {@code 100 - w}, the canary's {@code w}.
 *
 * <pre>
 * spec:
 *   service: web                  # the root service clients call
 *   backends:
 *   - {service: web, weight: 80}
 *   - {service: web-canary, weight: 20}
 * </pre>
 *
 * <p>A missing TrafficSplit is created with the stable service as root (so {@link #check} accepts a missing one).
 * Reset leaves stable alone at 100; other backends stay as the user wrote them.
 */
public final class SmiRouter implements TrafficRouter {
    static final String API_VERSION = "split.smi-spec.io/v1alpha2";

    private final RouterSpec spec;
    private final String namespace;

    SmiRouter(RouterSpec spec, String namespace) {
        this.spec = spec;
        this.namespace = namespace;
    }

    @Override
    public String describe() {
        return "SMI TrafficSplit " + spec.name() + " in " + namespace;
    }

    @Override
    public void check(KubeCluster cluster, CanaryServices services) throws DeployException {
        GenericKubernetesResource split = get(cluster);
        if (split != null) {
            backends(split, services);
        }
    }

    @Override
    public void setWeight(KubeCluster cluster, CanaryServices services, int weight) throws DeployException {
        write(cluster, services, RouterSupport.checkWeight(weight));
    }

    @Override
    public int weight(KubeCluster cluster, CanaryServices services) throws DeployException {
        GenericKubernetesResource split = get(cluster);
        return split == null ? 0 : RouterSupport.canaryWeight(backends(split, services), backend(services.canaryService()), 0);
    }

    @Override
    public void reset(KubeCluster cluster, CanaryServices services) throws DeployException {
        write(cluster, services, RESET);
    }

    private void write(KubeCluster cluster, CanaryServices services, int weight) throws DeployException {
        GenericKubernetesResource split = get(cluster);
        Predicate<Map<String, Object>> stable = backend(services.stableService());
        Predicate<Map<String, Object>> canary = backend(services.canaryService());
        if (split == null && weight == RESET) {
            return; // nothing routes to the canary
        }
        List<Map<String, Object>> backends = split == null
                ? new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("service", services.stableService()))))
                : backends(split, services);
        backends = RouterSupport.reweigh(backends, stable, canary, c -> {
            c.put("service", services.canaryService());
            return c;
        }, weight);
        if (split == null) {
            GenericKubernetesResource created = new GenericKubernetesResource();
            created.setApiVersion(API_VERSION);
            created.setKind("TrafficSplit");
            created.setMetadata(new ObjectMetaBuilder().withName(spec.name()).build());
            created.setAdditionalProperty("spec", Map.of("service", services.stableService(), "backends", backends));
            cluster.apply(kind(cluster), namespace, created);
        } else {
            cluster.mergePatch(kind(cluster), namespace, spec.name(), Map.of("spec", Map.of("backends", backends)));
        }
        GenericKubernetesResource after = get(cluster);
        String problem = after == null ? "no TrafficSplit"
                : RouterSupport.mismatch(backends(after, services), stable, canary, weight, 0);
        RouterSupport.verify(describe(), weight, problem == null ? List.of() : List.of(problem));
    }

    private ResourceKind kind(KubeCluster cluster) throws DeployException {
        return RouterSupport.kind(cluster, API_VERSION, "TrafficSplit", "trafficsplits",
                "an SMI service mesh such as Linkerd's SMI extension or Open Service Mesh");
    }

    /** The TrafficSplit, or null when it does not exist. */
    private GenericKubernetesResource get(KubeCluster cluster) throws DeployException {
        RouterSupport.requireName(spec.name(), "the SMI TrafficSplit");
        return cluster.get(kind(cluster), namespace, spec.name());
    }

    /** A copy of the backends, safe to edit; fails when none is the stable service. */
    private List<Map<String, Object>> backends(GenericKubernetesResource split, CanaryServices services)
            throws DeployException {
        List<Map<String, Object>> backends = maps(RouterSupport.spec(split).get("backends"));
        if (backends.stream().noneMatch(backend(services.stableService()))) {
            throw new DeployException(describe() + " has no backend that is the stable service "
                    + services.stableService() + "; its backends: "
                    + RouterSupport.join(backends.stream().map(b -> b.get("service")).toList()) + ".");
        }
        return backends;
    }

    private static Predicate<Map<String, Object>> backend(String service) {
        return b -> service.equals(b.get("service"));
    }
}
