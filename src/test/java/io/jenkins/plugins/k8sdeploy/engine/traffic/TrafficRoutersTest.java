package io.jenkins.plugins.k8sdeploy.engine.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeClients;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec.Type;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestBed;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each router against a real API server, with the routers' CRDs installed from minimal fixtures (Gateway API's are the
 * real standard-channel CRDs, which testbed/up installs for its Traefik, defaults and validation included): the user's router
 * object passes the check, weights 20 and 50 land in it and read back, and reset leaves all traffic on stable with the
 * user's other content intact. Also: what a check says when the router does not route to stable, and a missing CRD.
 */
@RequiresCluster
public class TrafficRoutersTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Gateway API's CRDs are not among them: the test bed installs the real ones (a fixture would replace them). */
    private static final List<String> CRDS = List.of("istio-virtualservice.yaml", "istio-destinationrule.yaml",
            "smi-trafficsplit.yaml");
    private static final String ISTIO = IstioRouter.API_VERSION;
    private static final String GATEWAY = GatewayApiRouter.API_VERSION;
    private static final String SMI = SmiRouter.API_VERSION;
    private static final String INGRESS = "networking.k8s.io/v1";

    private KubernetesClient admin;
    private KubeCluster kube;
    private String ns;
    private CanaryServices services;

    /** Cluster-wide and shared with other tests: applied idempotently, never deleted. */
    @BeforeAll
    public static void installCrds() throws IOException {
        try (KubernetesClient client = KubeClients.open(TestBed.get().admin())) {
            for (String file : CRDS) {
                try (InputStream in = TrafficRoutersTest.class.getResourceAsStream("crds/" + file)) {
                    CustomResourceDefinition crd = SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
                    client.apiextensions().v1().customResourceDefinitions().resource(crd)
                            .fieldManager("k8spd-test-fixtures").forceConflicts().serverSideApply();
                    client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                            .waitUntilCondition(c -> c != null && c.getStatus() != null
                                    && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                                            .anyMatch(x -> "Established".equals(x.getType())
                                                    && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
                }
            }
        }
    }

    @BeforeEach
    void setUp(TestCluster cluster) {
        admin = cluster.admin();
        ns = cluster.namespace();
        kube = KubeCluster.connect(cluster.adminConnection());
        services = new CanaryServices(ns, "web", "web-canary", Map.of("app", "web", "pod-template-hash", "aaa"),
                Map.of("app", "web", "pod-template-hash", "bbb"));
        for (String name : List.of("web", "web-canary", "other")) {
            create("""
                    apiVersion: v1
                    kind: Service
                    metadata: {name: %s}
                    spec: {selector: {app: %s}, ports: [{port: 80}]}
                    """.formatted(name, name));
        }
    }

    @AfterEach
    void close() {
        kube.close();
    }

    @Test
    void istioHostsModeShiftsWeightInEveryRouteToStableAndResetKeepsTheRest() throws Exception {
        String original = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web}
                spec:
                  hosts: [shop.example]
                  http:
                  - name: beta
                    match: [{headers: {x-beta: {exact: "1"}}}]
                    route:
                    - destination: {host: other}
                  - name: primary
                    timeout: 5s
                    route:
                    - destination: {host: web.NS.svc.cluster.local, port: {number: 80}}
                  - name: fallback
                    route:
                    - destination: {host: web}
                """.replace("NS", ns);
        create(original);
        TrafficRouter router = TrafficRouters.of(RouterSpec.of(Type.ISTIO, "web"), ns);
        assertInstanceOf(IstioRouter.class, router);
        assertEquals("Istio VirtualService web in " + ns, router.describe());

        router.check(kube, services);
        router.setWeight(kube, services, 20);

        String fqdn = "." + ns + ".svc.cluster.local";
        assertEquals(List.of("beta: other", "primary: web" + fqdn + "=80 web-canary" + fqdn + "=20",
                "fallback: web=80 web-canary=20"), istioRoutes());
        assertEquals(Map.of("number", 80), RouterSupport.map(RouterSupport.maps(RouterSupport.maps(
                spec(ISTIO, "VirtualService", "web").get("http")).get(1).get("route")).get(1).get("destination"))
                .get("port"), "the canary destination has stable's port");
        assertEquals(20, router.weight(kube, services));

        router.setWeight(kube, services, 50);
        assertEquals(List.of("beta: other", "primary: web" + fqdn + "=50 web-canary" + fqdn + "=50",
                "fallback: web=50 web-canary=50"), istioRoutes());
        assertEquals(50, router.weight(kube, services));

        router.reset(kube, services);
        router.reset(kube, services);
        assertEquals(0, router.weight(kube, services));
        assertEquals(yaml(original.replace("port: {number: 80}}", "port: {number: 80}}\n      weight: 100")
                        .replace("{host: web}", "{host: web}\n      weight: 100")).get("spec"),
                spec(ISTIO, "VirtualService", "web"), "all to stable; the match, timeout and other route intact");
    }

    @Test
    void istioNamedRoutesAreTheOnlyOnesChanged() throws Exception {
        create("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web}
                spec:
                  hosts: [web]
                  http:
                  - name: primary
                    route: [{destination: {host: web}}]
                  - name: fallback
                    route: [{destination: {host: web}}]
                """);
        TrafficRouter router = TrafficRouters.of(new RouterSpec(Type.ISTIO, "web", List.of("fallback"), null, null,
                null), ns);

        router.setWeight(kube, services, 30);

        assertEquals(List.of("primary: web", "fallback: web=70 web-canary=30"), istioRoutes());
        assertEquals(30, router.weight(kube, services));
        DeployException e = assertThrows(DeployException.class, () -> TrafficRouters.of(new RouterSpec(Type.ISTIO,
                "web", List.of("canary-only"), null, null, null), ns).check(kube, services));
        assertEquals("Istio VirtualService web in " + ns + " has no HTTP route named canary-only to service web; its"
                + " HTTP routes: primary (to web), fallback (to web, web-canary).", e.getMessage());
    }

    @Test
    void istioSubsetsModeWeighsSubsetsAndPointsTheDestinationRuleAtEachVersionsPods() throws Exception {
        create("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web}
                spec:
                  hosts: [web]
                  http:
                  - name: main
                    retries: {attempts: 3}
                    route:
                    - destination: {host: web, subset: stable}
                  - name: other
                    route:
                    - destination: {host: other}
                """);
        String rule = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: web}
                spec:
                  host: web
                  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
                  subsets:
                  - name: stable
                    labels: {app: web}
                """;
        create(rule);
        TrafficRouter router = TrafficRouters.of(new RouterSpec(Type.ISTIO, "web", List.of(), "stable", "canary",
                "web"), ns);

        router.check(kube, services);
        router.setWeight(kube, services, 20);

        assertEquals(List.of("main: web/stable=80 web/canary=20", "other: other"), istioRoutes());
        assertEquals(yaml("""
                host: web
                trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
                subsets:
                - name: stable
                  labels: {app: web, pod-template-hash: aaa}
                - name: canary
                  labels: {app: web, pod-template-hash: bbb}
                """), spec(ISTIO, "DestinationRule", "web"));
        assertEquals(20, router.weight(kube, services));

        router.setWeight(kube, services, 50);
        assertEquals(List.of("main: web/stable=50 web/canary=50", "other: other"), istioRoutes());
        assertEquals(50, router.weight(kube, services));

        router.reset(kube, services);
        assertEquals(List.of("main: web/stable=100", "other: other"), istioRoutes());
        assertEquals(3, RouterSupport.map(RouterSupport.maps(spec(ISTIO, "VirtualService", "web").get("http")).get(0)
                .get("retries")).get("attempts"), "the user's retries are kept");
        assertEquals(0, router.weight(kube, services));
        assertEquals(yaml("""
                host: web
                trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
                subsets:
                - name: stable
                  labels: {app: web, pod-template-hash: aaa}
                """), spec(ISTIO, "DestinationRule", "web"), "the canary subset is gone");
    }

    @Test
    void nginxCanaryIngressCopiesTheStableRulesToTheCanaryAndResetDeletesIt() throws Exception {
        create("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: web
                  annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 8m}
                spec:
                  ingressClassName: nginx
                  tls: [{hosts: [shop.example], secretName: shop-tls}]
                  rules:
                  - host: shop.example
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                      - {path: /api, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}}
                """);
        GenericKubernetesResource stableBefore = get(INGRESS, "Ingress", "web");
        TrafficRouter router = TrafficRouters.of(RouterSpec.of(Type.NGINX, "web"), ns);

        router.check(kube, services);
        assertEquals(0, router.weight(kube, services), "no canary Ingress yet");
        router.setWeight(kube, services, 20);

        GenericKubernetesResource canary = get(INGRESS, "Ingress", "web-canary");
        assertEquals(Map.of("nginx.ingress.kubernetes.io/canary", "true",
                "nginx.ingress.kubernetes.io/canary-weight", "20"), canary.getMetadata().getAnnotations());
        assertEquals(Map.of("k8s-progressive-delivery.jenkins.io/canary-of", "web"), canary.getMetadata().getLabels());
        assertEquals(stableBefore.getMetadata().getUid(), canary.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals(yaml("""
                ingressClassName: nginx
                tls: [{hosts: [shop.example], secretName: shop-tls}]
                rules:
                - host: shop.example
                  http:
                    paths:
                    - {path: /, pathType: Prefix, backend: {service: {name: web-canary, port: {number: 80}}}}
                """), canary.getAdditionalProperties().get("spec"), "only the paths to stable, sent to the canary");
        assertEquals(20, router.weight(kube, services));

        router.setWeight(kube, services, 50);
        assertEquals("50", get(INGRESS, "Ingress", "web-canary").getMetadata().getAnnotations()
                .get("nginx.ingress.kubernetes.io/canary-weight"));
        assertEquals(50, router.weight(kube, services));

        router.reset(kube, services);
        router.reset(kube, services);
        assertNull(get(INGRESS, "Ingress", "web-canary"));
        assertEquals(0, router.weight(kube, services));
        GenericKubernetesResource stableAfter = get(INGRESS, "Ingress", "web");
        assertEquals(stableBefore.getMetadata().getResourceVersion(), stableAfter.getMetadata().getResourceVersion(),
                "the stable Ingress is never changed");
    }

    @Test
    void gatewayApiShiftsWeightInEveryRuleToStableAndResetKeepsTheRest() throws Exception {
        String original = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web}
                spec:
                  parentRefs: [{name: shop-gateway}]
                  hostnames: [shop.example]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /}}]
                    timeouts: {request: 10s}
                    backendRefs:
                    - {name: web, port: 80}
                  - matches: [{headers: [{name: x-beta, value: "1"}]}]
                    backendRefs:
                    - {name: other, port: 8080}
                """;
        create(original);
        // As stored: the real CRD fills in defaults (a backendRef's weight 1, kind Service, a parentRef's kind ...).
        Map<String, Object> stored = spec(GATEWAY, "HTTPRoute", "web");
        TrafficRouter router = TrafficRouters.of(RouterSpec.of(Type.GATEWAY_API, "web"), ns);

        router.check(kube, services);
        router.setWeight(kube, services, 20);

        assertEquals(List.of("web:80=80 web-canary:80=20", "other:8080=1"), httpRouteRules());
        assertEquals(20, router.weight(kube, services));

        router.setWeight(kube, services, 50);
        assertEquals(List.of("web:80=50 web-canary:80=50", "other:8080=1"), httpRouteRules());
        assertEquals(50, router.weight(kube, services));

        router.reset(kube, services);
        router.reset(kube, services);
        assertEquals(0, router.weight(kube, services));
        Map<String, Object> stable = RouterSupport.maps(RouterSupport.maps(stored.get("rules")).get(0)
                .get("backendRefs")).get(0);
        assertEquals(Map.of("name", "web", "port", 80, "weight", 1, "group", "", "kind", "Service"), stable,
                "as the CRD defaults it");
        stable.put("weight", 100);
        assertEquals(stored, spec(GATEWAY, "HTTPRoute", "web"), "all to stable; matches, timeouts, other rule intact");
    }

    @Test
    void smiShiftsTheBackendsWeightsAndResetLeavesStableAlone() throws Exception {
        create("""
                apiVersion: split.smi-spec.io/v1alpha2
                kind: TrafficSplit
                metadata: {name: web}
                spec:
                  service: web-root
                  matches: [{kind: HTTPRouteGroup, name: web-paths}]
                  backends:
                  - {service: web, weight: 100}
                """);
        TrafficRouter router = TrafficRouters.of(RouterSpec.of(Type.SMI, "web"), ns);

        router.check(kube, services);
        router.setWeight(kube, services, 20);

        assertEquals(List.of("web=80", "web-canary=20"), smiBackends());
        assertEquals(20, router.weight(kube, services));

        router.setWeight(kube, services, 50);
        assertEquals(List.of("web=50", "web-canary=50"), smiBackends());
        assertEquals(50, router.weight(kube, services));

        router.reset(kube, services);
        assertEquals(0, router.weight(kube, services));
        assertEquals(yaml("""
                service: web-root
                matches: [{kind: HTTPRouteGroup, name: web-paths}]
                backends:
                - {service: web, weight: 100}
                """), spec(SMI, "TrafficSplit", "web"));
    }

    @Test
    void smiCreatesAMissingTrafficSplitWithStableAsRoot() throws Exception {
        TrafficRouter router = TrafficRouters.of(RouterSpec.of(Type.SMI, "web"), ns);

        router.check(kube, services);
        assertEquals(0, router.weight(kube, services));
        router.reset(kube, services);
        assertNull(get(SMI, "TrafficSplit", "web"), "reset creates nothing");
        router.setWeight(kube, services, 20);

        assertEquals("web", spec(SMI, "TrafficSplit", "web").get("service"));
        assertEquals(List.of("web=80", "web-canary=20"), smiBackends());
        router.reset(kube, services);
        assertEquals(List.of("web=100"), smiBackends());
    }

    @Test
    void checkSaysWhatItExpectedAndFoundAndChangesNothing() throws Exception {
        create("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web}
                spec:
                  hosts: [web]
                  http: [{route: [{destination: {host: other}}]}]
                """);
        create("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: by-subset}
                spec:
                  hosts: [web]
                  http: [{route: [{destination: {host: web, subset: stable}}]}]
                """);
        create("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: web}
                spec:
                  host: web
                  subsets: [{name: v1, labels: {app: web}}]
                """);
        create("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web}
                spec:
                  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}}]}}]
                """);
        create("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web}
                spec:
                  rules: [{backendRefs: [{name: other, port: 80}]}]
                """);
        create("""
                apiVersion: split.smi-spec.io/v1alpha2
                kind: TrafficSplit
                metadata: {name: web}
                spec:
                  service: web
                  backends: [{service: other, weight: 100}]
                """);
        Map<String, String> before = resourceVersions();

        assertCheckFails(RouterSpec.of(Type.ISTIO, "web"), "Istio VirtualService web in " + ns + " has no HTTP route"
                + " to service web; its routes go to: other.");
        assertCheckFails(new RouterSpec(Type.ISTIO, "by-subset", List.of(), "stable", "canary", "web"),
                "Istio DestinationRule web in " + ns + " has no subset stable; its subsets: v1.");
        assertCheckFails(new RouterSpec(Type.ISTIO, "by-subset", List.of(), "stable", null, null),
                "Istio subsets mode needs the canary subset and the DestinationRule besides the stable subset stable;"
                        + " given: canary subset null, DestinationRule null.");
        assertCheckFails(RouterSpec.of(Type.NGINX, "web"), "NGINX Ingress web in " + ns + " has no backend that is"
                + " the stable service web; its backends: other.");
        assertCheckFails(RouterSpec.of(Type.GATEWAY_API, "web"), "Gateway API HTTPRoute web in " + ns + " has no rule"
                + " with a backendRef to service web; its rules go to: other.");
        assertCheckFails(RouterSpec.of(Type.SMI, "web"), "SMI TrafficSplit web in " + ns + " has no backend that is"
                + " the stable service web; its backends: other.");
        assertCheckFails(RouterSpec.of(Type.GATEWAY_API, "missing"), "Gateway API HTTPRoute missing in " + ns
                + " does not exist; expected an HTTPRoute with a rule whose backendRefs include the stable service.");
        DeployException e = assertThrows(DeployException.class,
                () -> TrafficRouters.of(RouterSpec.of(Type.ISTIO, "web"), ns).setWeight(kube, services, 10));
        assertEquals("Istio VirtualService web in " + ns + " has no HTTP route to service web; its routes go to:"
                + " other.", e.getMessage(), "setWeight refuses the same way");

        assertEquals(before, resourceVersions(), "nothing changed");
        assertNull(get(INGRESS, "Ingress", "web-canary"));
    }

    @Test
    void anIngressOfTheCanaryNameThatIsNotOursIsLeftAlone() throws Exception {
        create("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web}
                spec:
                  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
                """);
        create("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web-canary}
                spec:
                  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}}]}}]
                """);
        String expected = "Ingress web-canary in " + ns + " already exists and was not made for the canary of Ingress"
                + " web (it lacks the label k8s-progressive-delivery.jenkins.io/canary-of: web); expected no Ingress"
                + " of that name, so that the canary Ingress can be created. Rename or delete it.";

        String before = get(INGRESS, "Ingress", "web-canary").getMetadata().getResourceVersion();

        assertCheckFails(RouterSpec.of(Type.NGINX, "web"), expected);
        TrafficRouter router = TrafficRouters.of(RouterSpec.of(Type.NGINX, "web"), ns);
        assertEquals(expected, assertThrows(DeployException.class, () -> router.setWeight(kube, services, 10))
                .getMessage());
        router.reset(kube, services);

        assertEquals(0, router.weight(kube, services), "someone else's Ingress is not our canary");
        assertEquals(before, get(INGRESS, "Ingress", "web-canary").getMetadata().getResourceVersion(),
                "neither changed nor deleted");
    }

    @Test
    void aKindWhoseCrdIsMissingSaysWhichCrdToInstall() {
        String group = "networking.fake-" + ns + ".example";
        DeployException e = assertThrows(DeployException.class, () -> RouterSupport.kind(kube, group + "/v1",
                "VirtualService", "virtualservices", "Istio 1.22 or later"));
        assertEquals("The cluster does not serve VirtualService in " + group + "/v1: the CustomResourceDefinition"
                + " virtualservices." + group + " with version v1 is not installed. Install it (it comes with Istio"
                + " 1.22 or later) or choose another router.", e.getMessage());
    }

    @Test
    void aReadBackThatDiffersIsReported() {
        Predicate<Map<String, Object>> stable = b -> "web".equals(b.get("service"));
        Predicate<Map<String, Object>> canary = b -> "web-canary".equals(b.get("service"));
        List<Map<String, Object>> reverted = List.of(Map.of("service", "web", "weight", 100));
        String problem = RouterSupport.mismatch(reverted, stable, canary, 20, 0);
        DeployException e = assertThrows(DeployException.class,
                () -> RouterSupport.verify("SMI TrafficSplit web in shop", 20, List.of(problem)));
        assertEquals("SMI TrafficSplit web in shop did not keep the weights just written (stable 80, canary 20); read"
                + " back: stable 100, canary absent. Something else changes this object (a GitOps tool, a controller"
                + " or an admission webhook?); it must leave the weights to this deployment.", e.getMessage());
        assertNull(RouterSupport.mismatch(reverted, stable, canary, RouterSupport.RESET, 0));
        assertThrows(IllegalArgumentException.class, () -> TrafficRouters.of(RouterSpec.of(Type.SMI, "web"), ns)
                .setWeight(kube, services, 101));
    }

    private void assertCheckFails(RouterSpec spec, String message) {
        DeployException e = assertThrows(DeployException.class,
                () -> TrafficRouters.of(spec, ns).check(kube, services));
        assertEquals(message, e.getMessage());
    }

    /** Each HTTP route as "name: host[/subset][=weight] ...". */
    private List<String> istioRoutes() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> route : RouterSupport.maps(spec(ISTIO, "VirtualService", "web").get("http"))) {
            out.add(route.get("name") + ": " + RouterSupport.maps(route.get("route")).stream().map(e -> {
                Map<String, Object> d = RouterSupport.map(e.get("destination"));
                return d.get("host") + (d.get("subset") == null ? "" : "/" + d.get("subset"))
                        + (e.get("weight") == null ? "" : "=" + e.get("weight"));
            }).collect(Collectors.joining(" ")));
        }
        return out;
    }

    /** Each rule as "name:port[=weight] ...". */
    private List<String> httpRouteRules() {
        return RouterSupport.maps(spec(GATEWAY, "HTTPRoute", "web").get("rules")).stream()
                .map(r -> RouterSupport.maps(r.get("backendRefs")).stream()
                        .map(b -> b.get("name") + ":" + b.get("port") + (b.get("weight") == null ? ""
                                : "=" + b.get("weight")))
                        .collect(Collectors.joining(" ")))
                .toList();
    }

    private List<String> smiBackends() {
        return RouterSupport.maps(spec(SMI, "TrafficSplit", "web").get("backends")).stream()
                .map(b -> b.get("service") + "=" + b.get("weight")).toList();
    }

    private Map<String, String> resourceVersions() {
        Map<String, String> out = new TreeMap<>();
        for (String[] k : List.of(new String[] {ISTIO, "VirtualService"}, new String[] {ISTIO, "DestinationRule"},
                new String[] {INGRESS, "Ingress"}, new String[] {GATEWAY, "HTTPRoute"},
                new String[] {SMI, "TrafficSplit"})) {
            for (GenericKubernetesResource r : admin.genericKubernetesResources(k[0], k[1]).inNamespace(ns).list()
                    .getItems()) {
                out.put(k[1] + "/" + r.getMetadata().getName(), r.getMetadata().getResourceVersion());
            }
        }
        return out;
    }

    private void create(String yaml) {
        GenericKubernetesResource r = SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class);
        admin.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(ns).resource(r).create();
    }

    private GenericKubernetesResource get(String apiVersion, String kind, String name) {
        return admin.genericKubernetesResources(apiVersion, kind).inNamespace(ns).withName(name).get();
    }

    private Map<String, Object> spec(String apiVersion, String kind, String name) {
        return RouterSupport.map(get(apiVersion, kind, name).getAdditionalProperties().get("spec"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return SERIALIZATION.unmarshal(text, Map.class);
    }
}
