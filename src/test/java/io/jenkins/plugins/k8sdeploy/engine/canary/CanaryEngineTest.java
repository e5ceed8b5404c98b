package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Canaries split by replica counts, against the real control plane (kwok runs the pods). */
@RequiresCluster
class CanaryEngineTest {
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    final List<String> log = new ArrayList<>();
    final Consumer<String> sink = line -> {
        synchronized (log) {
            log.add(line);
        }
        System.out.println("[canary] " + line);
    };

    static String app(String image, int replicas, String extraPodLabels) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: %2$d
                  strategy: {rollingUpdate: {maxSurge: 25%%, maxUnavailable: 25%%}}
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web%3$s}
                    spec:
                      containers:
                      - name: web
                        image: %1$s
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                """.formatted(image, replicas, extraPodLabels.isEmpty() ? "" : ", " + extraPodLabels);
    }

    Rollout start(TestCluster c, String yaml, String plan, Duration timeout) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), yaml, StandardCharsets.UTF_8);
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(timeout).build();
        return new CanaryEngine(CLOCK).start(new CanaryRequest(deploy, null, CanaryPlan.parse(plan), null, null, null,
                "test"), new LocalManifestFiles(dir), c.adminConnection(), analysis, sink);
    }

    DeployRecord run(TestCluster c, Rollout r) throws Exception {
        return Rollouts.run(r, c.adminConnection(), CLOCK, sink, true);
    }

    AnalysisPort analysis = AnalysisPort.NONE;

    /** Live, not terminating pods of the canary and of stable. */
    static int[] pods(TestCluster c) {
        int canary = 0;
        int stable = 0;
        for (Pod p : c.admin().pods().inNamespace(c.namespace()).withLabel("app", "web").list().getItems()) {
            if (p.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if ("canary".equals(p.getMetadata().getLabels().get(CanaryState.TRACK))) {
                canary++;
            } else {
                stable++;
            }
        }
        return new int[] {stable, canary};
    }

    static Set<String> images(TestCluster c, String track) {
        Set<String> images = new HashSet<>();
        for (Pod p : c.admin().pods().inNamespace(c.namespace()).withLabel("app", "web").list().getItems()) {
            boolean canary = "canary".equals(p.getMetadata().getLabels().get(CanaryState.TRACK));
            if (p.getMetadata().getDeletionTimestamp() == null && canary == "canary".equals(track)) {
                images.add(p.getSpec().getContainers().get(0).getImage());
            }
        }
        return images;
    }

    /** The IPs the Service web sends traffic to, and the IPs of stable pods. */
    static void awaitEndpointsOnlyStable(TestCluster c, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        String seen = "";
        while (Instant.now().isBefore(deadline)) {
            Set<String> endpoints = new HashSet<>();
            for (EndpointSlice s : c.admin().discovery().v1().endpointSlices().inNamespace(c.namespace())
                    .withLabel("kubernetes.io/service-name", "web").list().getItems()) {
                if (s.getEndpoints() != null) {
                    s.getEndpoints().stream()
                            .filter(e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()))
                            .forEach(e -> endpoints.addAll(e.getAddresses()));
                }
            }
            Set<String> stableIps = new HashSet<>();
            for (Pod p : c.admin().pods().inNamespace(c.namespace()).withLabel("app", "web").list().getItems()) {
                if (!"canary".equals(p.getMetadata().getLabels().get(CanaryState.TRACK))
                        && p.getStatus().getPodIP() != null && p.getMetadata().getDeletionTimestamp() == null) {
                    stableIps.add(p.getStatus().getPodIP());
                }
            }
            if (endpoints.size() == expected && endpoints.equals(stableIps)) {
                return;
            }
            seen = "endpoints " + endpoints + ", stable pods " + stableIps;
            Thread.sleep(300);
        }
        throw new AssertionError("Service web should send traffic to exactly the " + expected + " stable pods: "
                + seen);
    }

    Deployment live(TestCluster c, String name) {
        return c.admin().apps().deployments().inNamespace(c.namespace()).withName(name).get();
    }

    DeployRecord deployV1(TestCluster c, int replicas) throws Exception {
        DeployRecord r = run(c, start(c, app("registry.example/web:1.0", replicas, ""), "20%, 100%",
                Duration.ofMinutes(2)));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), String.join("\n", log));
        return r;
    }

    @Test
    void firstDeployGoesStraightToFull(TestCluster c) throws Exception {
        DeployRecord r = deployV1(c, 3);

        assertEquals(DeployRecord.Strategy.CANARY, r.strategy());
        assertEquals("web", r.app());
        assertEquals(StrategyEvent.Type.PROMOTED, r.events().get(0).type());
        assertTrue(r.events().get(0).detail().contains("no stable version to compare with"), r.events().toString());
        assertEquals(3, live(c, "web").getStatus().getAvailableReplicas());
        assertNull(live(c, "web-canary"), "no canary on a first deploy");
    }

    @Test
    void replicaRatioCanaryMovesTwentyFiftyFullWithThePodCountsOfEachStep(TestCluster c) throws Exception {
        deployV1(c, 10);

        DeployRecord at20 = run(c, start(c, app("registry.example/web:2.0", 10, ""), "20%", Duration.ofMinutes(2)));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, at20.outcome(), String.join("\n", log));
        assertEquals(8, pods(c)[0], "stable pods at 20%");
        assertEquals(2, pods(c)[1], "canary pods at 20%");
        assertEquals(Set.of("registry.example/web:2.0"), images(c, "canary"));
        assertEquals(Set.of("registry.example/web:1.0"), images(c, "stable"));
        Map<String, String> a = CanaryState.annotations(live(c, "web"));
        assertEquals("20", a.get(CanaryState.WEIGHT));
        assertEquals(CanaryState.PAUSED, a.get(CanaryState.PHASE), "the plan ended short of full: paused");
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.WEIGHT, StrategyEvent.Type.PAUSE),
                at20.events().stream().map(StrategyEvent::type).toList());
        assertEquals(20, at20.events().get(1).weight());

        DeployRecord at50 = run(c, new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web",
                CanaryEngine.Action.WEIGHT, 50, "test-promote", analysis, Duration.ofMinutes(2), sink));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, at50.outcome(), String.join("\n", log));
        assertEquals(5, pods(c)[0], "stable pods at 50%");
        assertEquals(5, pods(c)[1], "canary pods at 50%");

        DeployRecord full = run(c, new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web",
                CanaryEngine.Action.FULL, 0, "test-promote", analysis, Duration.ofMinutes(2), sink));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, full.outcome(), String.join("\n", log));
        assertEquals(10, pods(c)[0], "all pods are stable after promotion");
        assertEquals(0, pods(c)[1]);
        assertEquals(Set.of("registry.example/web:2.0"), images(c, "stable"), "stable runs the canary's version");
        assertNull(live(c, "web-canary"), "the canary Deployment is removed");
        assertFalse(CanaryState.inProgress(live(c, "web")), "no canary annotations are left");
        assertEquals(StrategyEvent.Type.PROMOTED, full.events().get(full.events().size() - 1).type());
        assertEquals(full, RecordJson.fromJson(RecordJson.toJson(full)), "the record survives JSON");
    }

    @Test
    void abortAtFiftyRestoresStableOnlyPodsAndEndpoints(TestCluster c) throws Exception {
        deployV1(c, 4);
        run(c, start(c, app("registry.example/web:2.0", 4, ""), "50%", Duration.ofMinutes(2)));
        assertEquals(2, pods(c)[1], "canary at 50% of 4");

        Instant asked = Instant.now();
        DeployRecord aborted = run(c, new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web",
                CanaryEngine.Action.ABORT, 0, "test-abort", analysis, Duration.ofMinutes(2), sink));

        assertEquals(DeployRecord.Outcome.ABORTED, aborted.outcome(), String.join("\n", log));
        StrategyEvent abort = aborted.events().stream().filter(e -> e.type().equals(StrategyEvent.Type.ABORT))
                .reduce((x, y) -> y).orElseThrow();
        assertEquals(0, abort.weight());
        assertEquals(new int[] {4, 0}[0], pods(c)[0]);
        assertEquals(0, pods(c)[1], "no canary pod is left");
        assertEquals(Set.of("registry.example/web:1.0"), images(c, "stable"));
        awaitEndpointsOnlyStable(c, 4);
        assertNull(live(c, "web-canary"));
        assertFalse(CanaryState.inProgress(live(c, "web")));
        System.out.println("abort took " + Duration.between(asked, Instant.now()).toMillis() + " ms end to end");
    }

    @Test
    void aNeverReadyCanaryStopsThePlanWithTheReasonAndAborts(TestCluster c) throws Exception {
        deployV1(c, 2);

        DeployRecord r = run(c, start(c, app("registry.example/web:2.0", 2, "k8spd.test/behaviour: never-ready"),
                "50%, pause 1h, 100%", Duration.ofSeconds(15)));

        assertEquals(DeployRecord.Outcome.ABORTED, r.outcome(), String.join("\n", log));
        assertTrue(r.failure().contains("did not reach 50% within 15 s") && r.failure().contains("0 of 1"),
                r.failure());
        assertFalse(r.events().stream().anyMatch(e -> e.type().equals(StrategyEvent.Type.PAUSE)), "the plan stopped");
        assertEquals(2, pods(c)[0]);
        assertEquals(0, pods(c)[1]);
        assertEquals(Set.of("registry.example/web:1.0"), images(c, "stable"));
        awaitEndpointsOnlyStable(c, 2);
    }

    @Test
    void aCrashingCanaryIsAbortedWithThePodsReasonBeforeTheDeadline(TestCluster c) throws Exception {
        deployV1(c, 2);
        Instant t0 = Instant.now();

        DeployRecord r = run(c, start(c, app("registry.example/web:2.0", 2, "k8spd.test/behaviour: crashloop"),
                "50%, 100%", Duration.ofMinutes(5)));

        assertEquals(DeployRecord.Outcome.ABORTED, r.outcome(), String.join("\n", log));
        assertTrue(r.failure().contains("CrashLoopBackOff"), r.failure());
        assertTrue(Duration.between(t0, Instant.now()).toSeconds() < 60, "fails fast, not at the 5 min deadline");
    }

    @Test
    void aNewRevisionSupersedesACanaryInProgress(TestCluster c) throws Exception {
        deployV1(c, 4);
        run(c, start(c, app("registry.example/web:2.0", 4, ""), "50%", Duration.ofMinutes(2)));
        String first = CanaryState.annotations(live(c, "web")).get(CanaryState.REVISION);

        Rollout v3 = start(c, app("registry.example/web:3.0", 4, ""), "25%", Duration.ofMinutes(2));
        DeployRecord r = run(c, v3);

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), String.join("\n", log));
        assertTrue(r.events().stream().anyMatch(e -> e.type().equals(StrategyEvent.Type.SUPERSEDED)
                && e.detail().contains(first)), r.events().toString());
        assertEquals(Set.of("registry.example/web:3.0"), images(c, "canary"), "the old canary was replaced");
        assertEquals(3, pods(c)[0]);
        assertEquals(1, pods(c)[1], "25% of 4, the plan started again");
        assertEquals("25", CanaryState.annotations(live(c, "web")).get(CanaryState.WEIGHT));
    }

    @Test
    void aCanaryStartsWhenTheAutoscalerHasTakenTheReplicasOver(TestCluster c) throws Exception {
        deployV1(c, 2);
        c.admin().resource(new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withMinReplicas(4).withMaxReplicas(10)
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("web")
                .endScaleTargetRef().endSpec().build()).inNamespace(c.namespace()).create();
        // What the autoscaler's controller does when it scales: the replicas become its field.
        c.admin().apps().deployments().inNamespace(c.namespace()).withName("web").patch(
                new io.fabric8.kubernetes.client.dsl.base.PatchContext.Builder()
                        .withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager("kube-controller-manager").withForce(true).build(),
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                        + "\"spec\":{\"replicas\":4}}");

        DeployRecord r = run(c, start(c, app("registry.example/web:2.0", 2, ""), "50%", Duration.ofMinutes(2)));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), String.join("\n", log));
        assertEquals("4", CanaryState.annotations(live(c, "web")).get(CanaryState.TOTAL),
                "the autoscaler's 4, and no conflict over the manifest's 2");
        assertEquals(2, pods(c)[1]);
    }

    @Test
    void aHorizontalPodAutoscalerSizesTheCanary(TestCluster c) throws Exception {
        deployV1(c, 2);
        c.admin().resource(new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withMinReplicas(10).withMaxReplicas(20)
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("web")
                .endScaleTargetRef().endSpec().build()).inNamespace(c.namespace()).create();

        DeployRecord r = run(c, start(c, app("registry.example/web:2.0", 2, ""), "30%", Duration.ofMinutes(2)));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), String.join("\n", log));
        assertEquals(3, pods(c)[1], "30% of the autoscaler's 10, not of the manifest's 2");
        assertEquals("10", CanaryState.annotations(live(c, "web")).get(CanaryState.TOTAL));
        assertTrue(r.events().get(0).detail().contains("shares of 10 pods (from the HorizontalPodAutoscaler)"),
                r.events().get(0).detail());
    }

    @Test
    void aPipelineWaitingForApprovalTakesAPromotionFromOutside(TestCluster c) throws Exception {
        deployV1(c, 2);
        Rollout driven = start(c, app("registry.example/web:2.0", 2, ""), "50%, approval, 100%",
                Duration.ofMinutes(2));
        DeployRecord[] result = new DeployRecord[1];
        Thread pipeline = new Thread(() -> {
            try {
                result[0] = run(c, driven);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        pipeline.start();
        awaitPhase(c, CanaryState.AWAITING_APPROVAL);

        DeployRecord promote = run(c, new CanaryEngine(CLOCK).control(c.adminConnection(), c.namespace(), "web",
                CanaryEngine.Action.PROMOTE, 0, "someone-else", analysis, Duration.ofMinutes(1), sink));
        pipeline.join(120_000);

        assertEquals(DeployRecord.Outcome.SUCCEEDED, promote.outcome(), String.join("\n", log));
        assertEquals(DeployRecord.Outcome.SUCCEEDED, result[0].outcome(), String.join("\n", log));
        List<StrategyEvent.Type> types = result[0].events().stream().map(StrategyEvent::type).toList();
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.WEIGHT, StrategyEvent.Type.APPROVAL_WAIT,
                StrategyEvent.Type.APPROVED, StrategyEvent.Type.PROMOTE, StrategyEvent.Type.PROMOTED), types);
        assertEquals(Set.of("registry.example/web:2.0"), images(c, "stable"));
        assertThrows(DeployException.class, () -> new CanaryEngine(CLOCK).control(c.adminConnection(),
                c.namespace(), "web", CanaryEngine.Action.ABORT, 0, "late", analysis, Duration.ofMinutes(1), sink),
                "nothing left to abort");
    }

    @Test
    void aFailedAnalysisAbortsAndAnUnknownOneChangesNothing(TestCluster c) throws Exception {
        deployV1(c, 2);
        assertTrue(assertThrows(DeployException.class, () -> start(c, app("registry.example/web:2.0", 2, ""),
                "50%, analysis errors, 100%", Duration.ofMinutes(1))).getMessage()
                .contains("no analysis of that name is configured"));
        assertNull(live(c, "web-canary"), "nothing was applied");

        analysis = new AnalysisPort() {
            @Override
            public Run start(String name, CanaryServices services, Instant now) {
                return new Run() {
                    @Override
                    public Verdict poll(Instant at) {
                        return new Verdict(Status.FAILED, "error rate 0.25 > 0.05");
                    }

                    @Override
                    public Duration next() {
                        return Duration.ofSeconds(1);
                    }
                };
            }

            @Override
            public boolean knows(String name) {
                return name.equals("errors");
            }
        };
        DeployRecord r = run(c, start(c, app("registry.example/web:2.0", 2, ""), "50%, analysis errors, 100%",
                Duration.ofMinutes(1)));

        assertEquals(DeployRecord.Outcome.ABORTED, r.outcome(), String.join("\n", log));
        assertTrue(r.failure().contains("error rate 0.25 > 0.05"), r.failure());
        assertEquals(0, pods(c)[1]);
        assertEquals(2, pods(c)[0]);
    }

    void awaitPhase(TestCluster c, String phase) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Deployment d = live(c, "web");
            if (phase.equals(CanaryState.annotations(d).get(CanaryState.PHASE))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the canary never reached " + phase + ": " + CanaryState.annotations(live(c, "web")));
    }
}
