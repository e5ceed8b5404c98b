package io.jenkins.plugins.k8sdeploy.engine.traffic;

import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.CANARY_OF;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.RESET;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.map;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.maps;
import static io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSupport.string;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * NGINX Ingress: splits traffic with a canary Ingress beside the stable Ingress {@link RouterSpec#name()}. The canary
 * Ingress {@code <name>-canary} has the stable Ingress's class, TLS and the rules' paths that go to the stable
 * Service, sent to the canary Service instead (paths to other services are left out), and the canary annotations:
 *
 * <pre>
 * metadata:
 *   name: web-canary
 *   labels: {k8s-progressive-delivery.jenkins.io/canary-of: web}
 *   annotations: {nginx.ingress.kubernetes.io/canary: "true", nginx.ingress.kubernetes.io/canary-weight: "20"}
 * spec:
 *   ingressClassName: nginx
 *   rules:
 *   - host: shop.example
 *     http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web-canary, port: {number: 80}}}}]}
 * </pre>
 *
 * <p>The stable Ingress is never changed (NGINX takes the canary Ingress's other annotations from it). The canary
 * Ingress is owned by the stable one (deleted with it), and reset deletes it. An Ingress of that name without the
 * label is someone else's: check and setWeight refuse to start, and reset leaves it alone.
 */
public final class NginxIngressRouter implements TrafficRouter {
    static final String CANARY = "nginx.ingress.kubernetes.io/canary";
    static final String CANARY_WEIGHT = "nginx.ingress.kubernetes.io/canary-weight";
    private static final String LEGACY_CLASS = "kubernetes.io/ingress.class";

    private final RouterSpec spec;
    private final String namespace;

    NginxIngressRouter(RouterSpec spec, String namespace) {
        this.spec = spec;
        this.namespace = namespace;
    }

    @Override
    public String describe() {
        return "NGINX Ingress " + spec.name() + " in " + namespace;
    }

    String canaryName() {
        return spec.name() + "-canary";
    }

    @Override
    public void check(KubeCluster cluster, CanaryServices services) throws DeployException {
        canaryRules(stableIngress(cluster), services);
        refuseForeignCanary(cluster);
    }

    @Override
    public void setWeight(KubeCluster cluster, CanaryServices services, int weight) throws DeployException {
        RouterSupport.checkWeight(weight);
        GenericKubernetesResource stable = stableIngress(cluster);
        Map<String, Object> canarySpec = canaryRules(stable, services);
        refuseForeignCanary(cluster);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(CANARY, "true");
        annotations.put(CANARY_WEIGHT, Integer.toString(weight));
        String legacyClass = stable.getMetadata().getAnnotations() == null ? null
                : stable.getMetadata().getAnnotations().get(LEGACY_CLASS);
        if (legacyClass != null) {
            annotations.put(LEGACY_CLASS, legacyClass);
        }
        GenericKubernetesResource canary = new GenericKubernetesResource();
        canary.setApiVersion(ResourceKind.INGRESS.apiVersion());
        canary.setKind(ResourceKind.INGRESS.kind());
        canary.setMetadata(new ObjectMetaBuilder()
                .withName(canaryName())
                .withLabels(Map.of(CANARY_OF, spec.name()))
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(ResourceKind.INGRESS.apiVersion()).withKind(ResourceKind.INGRESS.kind())
                        .withName(spec.name()).withUid(stable.getMetadata().getUid()).build())
                .build());
        canary.setAdditionalProperty("spec", canarySpec);
        cluster.apply(ResourceKind.INGRESS, namespace, canary);
        verify(cluster, services, weight);
    }

    @Override
    public int weight(KubeCluster cluster, CanaryServices services) throws DeployException {
        return weightOf(live(cluster));
    }

    @Override
    public void reset(KubeCluster cluster, CanaryServices services) throws DeployException {
        GenericKubernetesResource canary = cluster.get(ResourceKind.INGRESS, namespace, canaryName());
        if (canary != null && isOurs(canary)) {
            cluster.delete(ResourceKind.INGRESS, namespace, canaryName());
            verify(cluster, services, RESET);
        }
    }

    /** Our canary Ingress, or null when there is none (or only someone else's) or it is being deleted. */
    private GenericKubernetesResource live(KubeCluster cluster) throws DeployException {
        GenericKubernetesResource canary = cluster.get(ResourceKind.INGRESS, namespace, canaryName());
        return canary == null || !isOurs(canary) || canary.getMetadata().getDeletionTimestamp() != null
                ? null : canary;
    }

    private static int weightOf(GenericKubernetesResource canary) {
        Map<String, String> a = canary == null ? null : canary.getMetadata().getAnnotations();
        return a != null && "true".equals(a.get(CANARY))
                ? RouterSupport.weightOf(Map.of("weight", a.getOrDefault(CANARY_WEIGHT, "0")), 0) : 0;
    }

    private void verify(KubeCluster cluster, CanaryServices services, int weight) throws DeployException {
        GenericKubernetesResource canary = live(cluster);
        String found = null;
        if (canary == null) {
            found = weight == RESET ? null : "no canary Ingress " + canaryName();
        } else {
            List<String> backends = backends(map(canary.getAdditionalProperties().get("spec")));
            if (weight == RESET || weightOf(canary) != weight
                    || !backends.stream().allMatch(services.canaryService()::equals)) {
                found = "canary Ingress " + canaryName() + " with weight " + weightOf(canary) + " to "
                        + RouterSupport.join(backends);
            }
        }
        RouterSupport.verify(describe(), weight, found == null ? List.of() : List.of(found));
    }

    private GenericKubernetesResource stableIngress(KubeCluster cluster) throws DeployException {
        RouterSupport.requireName(spec.name(), "the stable Ingress");
        return RouterSupport.require(cluster, ResourceKind.INGRESS, namespace, spec.name(), describe(),
                "the stable Ingress, with a backend that is the stable service");
    }

    /** Fails when an Ingress of the canary's name exists that we did not make. */
    private void refuseForeignCanary(KubeCluster cluster) throws DeployException {
        GenericKubernetesResource canary = cluster.get(ResourceKind.INGRESS, namespace, canaryName());
        if (canary != null && !isOurs(canary)) {
            throw new DeployException("Ingress " + canaryName() + " in " + namespace + " already exists and was not"
                    + " made for the canary of Ingress " + spec.name() + " (it lacks the label " + CANARY_OF + ": "
                    + spec.name() + "); expected no Ingress of that name, so that the canary Ingress can be created."
                    + " Rename or delete it.");
        }
    }

    private boolean isOurs(GenericKubernetesResource canary) {
        Map<String, String> labels = canary.getMetadata().getLabels();
        return labels != null && spec.name().equals(labels.get(CANARY_OF));
    }

    /** The canary Ingress's spec: class, TLS, and the stable paths sent to the canary; fails if there are none. */
    private Map<String, Object> canaryRules(GenericKubernetesResource stable, CanaryServices services)
            throws DeployException {
        Map<String, Object> stableSpec = RouterSupport.spec(stable);
        Map<String, Object> out = new LinkedHashMap<>();
        copy(stableSpec, out, "ingressClassName");
        copy(stableSpec, out, "tls");
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> rule : maps(stableSpec.get("rules"))) {
            Map<String, Object> http = map(rule.get("http"));
            List<Map<String, Object>> paths = maps(http.get("paths")).stream()
                    .filter(p -> toCanary(map(p.get("backend")), services)).toList();
            if (!paths.isEmpty()) {
                http.put("paths", paths);
                rule.put("http", http);
                rules.add(rule);
            }
        }
        Map<String, Object> defaultBackend = map(stableSpec.get("defaultBackend"));
        if (toCanary(defaultBackend, services)) {
            out.put("defaultBackend", defaultBackend);
        }
        if (rules.isEmpty() && !out.containsKey("defaultBackend")) {
            throw new DeployException(describe() + " has no backend that is the stable service "
                    + services.stableService() + "; its backends: " + RouterSupport.join(backends(stableSpec)) + ".");
        }
        if (!rules.isEmpty()) {
            out.put("rules", rules);
        }
        return out;
    }

    private static void copy(Map<String, Object> from, Map<String, Object> to, String key) {
        if (from.get(key) != null) {
            to.put(key, from.get(key));
        }
    }

    /** True, after pointing it at the canary Service, when {@code backend} is the stable Service. */
    private static boolean toCanary(Map<String, Object> backend, CanaryServices services) {
        Map<String, Object> service = map(backend.get("service"));
        if (!services.stableService().equals(service.get("name"))) {
            return false;
        }
        service.put("name", services.canaryService());
        return true;
    }

    /** The service names of every backend in an Ingress spec. */
    private static List<String> backends(Map<String, Object> ingressSpec) {
        return Stream.concat(Stream.of(map(ingressSpec.get("defaultBackend"))), maps(ingressSpec.get("rules")).stream()
                        .flatMap(r -> maps(map(r.get("http")).get("paths")).stream())
                        .map(p -> map(p.get("backend"))))
                .map(b -> string(map(b.get("service")).get("name")))
                .filter(n -> n != null)
                .toList();
    }
}
