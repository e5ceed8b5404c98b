package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import io.jenkins.plugins.k8sdeploy.engine.traffic.TrafficRouters;
import io.jenkins.plugins.k8sdeploy.engine.traffic.TrafficRoutersTest;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Canaries whose weights a traffic router holds, one run per router (the routers' CRDs are our own fixtures): the
 * weights are written and read back at each step, the stable Deployment stays at full size, and promotion and abort
 * reset the router and remove the canary's Service.
 */
@RequiresCluster
class CanaryRouterTest {
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    final Consumer<String> log = line -> System.out.println("[router canary] " + line);

    @BeforeAll
    static void crds() throws Exception {
        TrafficRoutersTest.installCrds();
    }

    static Stream<Arguments> routers() {
        return Stream.of(
                Arguments.of("istio hosts", RouterSpec.of(RouterSpec.Type.ISTIO, "web"), """
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: web}
                        spec:
                          hosts: [web.example]
                          http:
                          - name: primary
                            route:
                            - destination: {host: web}
                              weight: 100
                        """),
                Arguments.of("istio subsets", new RouterSpec(RouterSpec.Type.ISTIO, "web", List.of(), "stable",
                        "canary", "web"), """
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: web}
                        spec:
                          hosts: [web.example]
                          http:
                          - route:
                            - destination: {host: web, subset: stable}
                              weight: 100
                        ---
                        apiVersion: networking.istio.io/v1
                        kind: DestinationRule
                        metadata: {name: web}
                        spec:
                          host: web
                          subsets:
                          - name: stable
                            labels: {app: web}
                        """),
                Arguments.of("nginx", RouterSpec.of(RouterSpec.Type.NGINX, "web"), """
                        apiVersion: networking.k8s.io/v1
                        kind: Ingress
                        metadata: {name: web}
                        spec:
                          ingressClassName: nginx
                          rules:
                          - host: web.example
                            http:
                              paths:
                              - path: /
                                pathType: Prefix
                                backend: {service: {name: web, port: {number: 80}}}
                        """),
                Arguments.of("gateway api", RouterSpec.of(RouterSpec.Type.GATEWAY_API, "web"), """
                        apiVersion: gateway.networking.k8s.io/v1
                        kind: HTTPRoute
                        metadata: {name: web}
                        spec:
                          parentRefs: [{name: gateway}]
                          rules:
                          - backendRefs:
                            - {name: web, port: 80}
                        """),
                Arguments.of("smi", RouterSpec.of(RouterSpec.Type.SMI, "web"), """
                        apiVersion: split.smi-spec.io/v1alpha2
                        kind: TrafficSplit
                        metadata: {name: web}
                        spec:
                          service: web
                          backends:
                          - {service: web, weight: 100}
                        """));
    }

    Rollout start(TestCluster c, String image, String routerYaml, RouterSpec router, String plan) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), CanaryEngineTest.app(image, 4, "") + "---\n" + routerYaml,
                StandardCharsets.UTF_8);
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(Duration.ofMinutes(2)).build();
        return new CanaryEngine(CLOCK).start(new CanaryRequest(deploy, null, CanaryPlan.parse(plan), router, null,
                null, "test"), new LocalManifestFiles(dir), c.adminConnection(), AnalysisPort.NONE, log);
    }

    DeployRecord run(TestCluster c, Rollout r) throws Exception {
        return Rollouts.run(r, c.adminConnection(), CLOCK, log, true);
    }

    DeployRecord control(TestCluster c, CanaryEngine.Action action, int weight) throws Exception {
        return run(c, new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web", action, weight,
                "test-control", AnalysisPort.NONE, Duration.ofMinutes(2), log));
    }

    int routerWeight(TestCluster c, RouterSpec router) throws Exception {
        try (KubeCluster k = KubeCluster.connect(c.adminConnection())) {
            return TrafficRouters.of(router, c.namespace()).weight(k, new CanaryServices(c.namespace(), "web",
                    "web-canary", Map.of(), Map.of()));
        }
    }

    Deployment live(TestCluster c, String name) {
        return c.admin().apps().deployments().inNamespace(c.namespace()).withName(name).get();
    }

    Service service(TestCluster c, String name) {
        return c.admin().services().inNamespace(c.namespace()).withName(name).get();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routers")
    void weightsAreWrittenVerifiedAndResetOnPromoteAndOnAbort(String name, RouterSpec router, String routerYaml,
            TestCluster c) throws Exception {
        assertEquals(DeployRecord.Outcome.SUCCEEDED, run(c, start(c, "registry.example/web:1.0", routerYaml, router, "100%"))
                .outcome());

        DeployRecord at25 = run(c, start(c, "registry.example/web:2.0", routerYaml, router, "25%"));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, at25.outcome(), at25.timeline().toString());
        assertEquals(25, routerWeight(c, router), "the router object holds the weight");
        assertTrue(at25.events().stream().anyMatch(e -> e.type().equals(StrategyEvent.Type.WEIGHT) && e.weight() == 25
                && e.detail().contains("read back")), at25.events().toString());
        assertEquals(4, live(c, "web").getStatus().getAvailableReplicas(), "stable stays fully scaled");
        assertEquals(1, live(c, "web-canary").getStatus().getAvailableReplicas(), "25% of 4 pods");
        Service canaryService = service(c, "web-canary");
        assertEquals("canary", canaryService.getSpec().getSelector().get(CanaryState.TRACK));
        assertTrue(service(c, "web").getSpec().getSelector().containsKey("pod-template-hash"),
                "the stable Service selects only stable pods while the canary runs");

        assertEquals(DeployRecord.Outcome.SUCCEEDED, control(c, CanaryEngine.Action.WEIGHT, 50).outcome());
        assertEquals(50, routerWeight(c, router));
        assertEquals(2, live(c, "web-canary").getStatus().getAvailableReplicas());

        assertEquals(DeployRecord.Outcome.SUCCEEDED, control(c, CanaryEngine.Action.FULL, 0).outcome());
        assertEquals(0, routerWeight(c, router), "promotion resets the router");
        assertNull(live(c, "web-canary"));
        assertNull(service(c, "web-canary"), "the canary Service we created is removed");
        assertEquals(Map.of("app", "web"), service(c, "web").getSpec().getSelector());
        assertEquals("registry.example/web:2.0", live(c, "web").getSpec().getTemplate().getSpec().getContainers()
                .get(0).getImage());
        assertFalse(CanaryState.inProgress(live(c, "web")));

        DeployRecord at50 = run(c, start(c, "registry.example/web:3.0", routerYaml, router, "50%"));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, at50.outcome(), at50.timeline().toString());
        assertEquals(50, routerWeight(c, router));
        DeployRecord aborted = control(c, CanaryEngine.Action.ABORT, 0);
        assertEquals(DeployRecord.Outcome.ABORTED, aborted.outcome(), aborted.timeline().toString());
        assertEquals(0, routerWeight(c, router), "abort resets the router");
        assertNull(live(c, "web-canary"));
        assertNull(service(c, "web-canary"));
        assertEquals(Map.of("app", "web"), service(c, "web").getSpec().getSelector());
        for (Pod p : c.admin().pods().inNamespace(c.namespace()).withLabel("app", "web").list().getItems()) {
            if (p.getMetadata().getDeletionTimestamp() == null) {
                assertEquals("registry.example/web:2.0", p.getSpec().getContainers().get(0).getImage(),
                        "only stable pods of 2.0 are left");
            }
        }
    }
}
