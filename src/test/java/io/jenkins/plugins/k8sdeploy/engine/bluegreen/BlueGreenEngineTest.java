package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blue-green against the real control plane: colours, Services, EndpointSlices, switch, switch back, scale-down. */
@RequiresCluster
class BlueGreenEngineTest {
    static final String COLOUR = "k8s-progressive-delivery.jenkins.io/colour";

    @TempDir
    Path dir;

    final List<String> log = new ArrayList<>();
    final BlueGreenEngine engine = new BlueGreenEngine();

    /** The app: Deployment web (3 replicas) and Service web. */
    static String app(String image, String podLabels, String podAnnotations) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata:
                      labels: {app: web%s}
                      annotations: {%s}
                    spec: {containers: [{name: web, image: "%s"}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                """.formatted(podLabels, podAnnotations, image);
    }

    String write(String file, String yaml) throws Exception {
        Files.writeString(dir.resolve(file), yaml, StandardCharsets.UTF_8);
        return file;
    }

    void sink(String line) {
        synchronized (log) {
            log.add(line);
        }
        System.out.println("[bluegreen] " + line);
    }

    String logText() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    BlueGreenRequest.Builder request(TestCluster cluster, String file) {
        return BlueGreenRequest.builder().manifests(List.of(file)).namespace(cluster.namespace());
    }

    BlueGreenRollout begin(TestCluster cluster, BlueGreenRequest.Builder request) throws Exception {
        return engine.deploy(request.build(), new LocalManifestFiles(dir), cluster.adminConnection(), this::sink);
    }

    DeployRecord run(TestCluster cluster, Rollout rollout) throws Exception {
        return Rollouts.run(rollout, cluster.adminConnection(), Clock.systemUTC(), this::sink, false);
    }

    DeployRecord deploy(TestCluster cluster, BlueGreenRequest.Builder request) throws Exception {
        return run(cluster, begin(cluster, request));
    }

    BlueGreenSwitchRequest switchRequest(TestCluster cluster, Duration delay, boolean wait) {
        return new BlueGreenSwitchRequest(BlueGreenTarget.of(cluster.namespace(), "web"), delay, Duration.ofMinutes(1),
                wait);
    }

    static Service service(TestCluster cluster, String name) {
        return cluster.admin().services().inNamespace(cluster.namespace()).withName(name).get();
    }

    static Deployment deployment(TestCluster cluster, String name) {
        return cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName(name).get();
    }

    static Map<String, String> selector(TestCluster cluster, String service) {
        return service(cluster, service).getSpec().getSelector();
    }

    static List<Pod> pods(TestCluster cluster, String colour) {
        return cluster.admin().pods().inNamespace(cluster.namespace()).withLabel(COLOUR, colour).list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static Set<String> podIps(TestCluster cluster, String colour) {
        return pods(cluster, colour).stream().map(p -> p.getStatus().getPodIP()).filter(ip -> ip != null)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> endpointIps(TestCluster cluster, String service) {
        return cluster.admin().discovery().v1().endpointSlices().inNamespace(cluster.namespace())
                .withLabel("kubernetes.io/service-name", service).list().getItems().stream()
                .flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.empty() : s.getEndpoints().stream())
                .flatMap(e -> e.getAddresses().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The Service's endpoints are exactly the pods of {@code colour} (3 of them), eventually. */
    static void endpointsAre(TestCluster cluster, String service, String colour) throws InterruptedException {
        eventually("Service " + service + " has the endpoints of the " + colour + " pods", () -> {
            Set<String> pods = podIps(cluster, colour);
            return pods.size() == 3 && endpointIps(cluster, service).equals(pods);
        });
    }

    static List<StrategyEvent.Type> types(DeployRecord r) {
        return r.events().stream().map(StrategyEvent::type).toList();
    }

    static StrategyEvent event(DeployRecord r, StrategyEvent.Type type) {
        return r.events().stream().filter(e -> e.type().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event in " + r.events()));
    }

    @Test
    void firstDeployCreatesBlueAndPointsTheActiveServiceAtIt(TestCluster cluster) throws Exception {
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));

        DeployRecord r = deploy(cluster, request(cluster, v1));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), logText());
        assertEquals(DeployRecord.Strategy.BLUE_GREEN, r.strategy());
        assertEquals("web", r.app());
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.SWITCH), types(r));
        assertEquals(100, event(r, StrategyEvent.Type.SWITCH).weight());
        Deployment blue = deployment(cluster, "web-blue");
        assertEquals(3, blue.getStatus().getAvailableReplicas());
        assertEquals(Map.of("app", "web", COLOUR, "blue"), blue.getSpec().getSelector().getMatchLabels());
        assertEquals(Map.of("app", "web", COLOUR, "blue"), blue.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals("web", blue.getMetadata().getLabels().get("k8s-progressive-delivery.jenkins.io/colour-of"));
        assertNull(deployment(cluster, "web"), "the plain app Deployment is never created");
        assertNull(deployment(cluster, "web-green"));
        assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(cluster, "web"));
        Service preview = service(cluster, "web-preview");
        assertEquals(Map.of("app", "web", COLOUR, "green"), preview.getSpec().getSelector(),
                "the preview selects the other colour");
        assertEquals("web", preview.getMetadata().getLabels().get("k8s-progressive-delivery.jenkins.io/colour-of"));
        assertEquals(80, preview.getSpec().getPorts().get(0).getPort());
        assertEquals(podIps(cluster, "blue"), endpointIps(cluster, "web"),
                "the switch was verified: web's EndpointSlices list the blue pods");
        assertEquals(3, endpointIps(cluster, "web").size());
        assertTrue(logText().contains("First blue-green deploy of web: creating blue"), logText());
        assertTrue(logText().contains("Service web points at blue (it was created selecting it)."), logText());
        assertEquals(List.of("Service/web created", "Service/web-preview created", "Deployment/web-blue created"),
                r.objects().stream().map(o -> o.kind() + "/" + o.name() + " " + o.action()).toList());
        assertEquals(List.of("web=registry.example/web:1"), r.workloads().get(0).imagesAfter());
        assertEquals(r, RecordJson.fromJson(RecordJson.toJson(r)), "the record survives JSON");
    }

    @Test
    void previewFirstThenSwitchOnlyOnceTheNewColourIsAvailable(TestCluster cluster) throws Exception {
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));
        String v2 = write("v2.yaml", app("registry.example/web:2", "", "k8spd.test/ready-after: 4s"));
        deploy(cluster, request(cluster, v1));

        BlueGreenRollout pending = begin(cluster, request(cluster, v2));
        Map<String, String> before = versions(cluster);
        DeployException refused = assertThrows(DeployException.class, () -> engine.switchOver(
                switchRequest(cluster, Duration.ofSeconds(30), false), cluster.adminConnection(), this::sink));

        assertTrue(refused.getMessage().startsWith("Refused to switch Service web to green: Deployment/web-green in "
                + cluster.namespace() + " is not fully available ("), refused.getMessage());
        assertTrue(refused.getMessage().contains("Nothing was changed; blue still serves."), refused.getMessage());
        assertEquals(before, versions(cluster), "a refused switch changes nothing");

        DeployRecord r = run(cluster, roundTrip(pending));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), logText());
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.PAUSE), types(r));
        assertEquals(0, event(r, StrategyEvent.Type.PAUSE).weight(), "the new colour takes no traffic yet");
        assertTrue(logText().contains("Preview ready: Service web-preview selects green; blue stays active behind"
                + " Service web. Switch with blueGreenSwitch / k8spd bluegreen switch web."), logText());
        assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(cluster, "web"));
        assertEquals(Map.of("app", "web", COLOUR, "green"), selector(cluster, "web-preview"));
        endpointsAre(cluster, "web", "blue");
        endpointsAre(cluster, "web-preview", "green");
        assertEquals("registry.example/web:2",
                deployment(cluster, "web-green").getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals("registry.example/web:1",
                deployment(cluster, "web-blue").getSpec().getTemplate().getSpec().getContainers().get(0).getImage());

        DeployRecord s = run(cluster, engine.switchOver(switchRequest(cluster, Duration.ofSeconds(30), false),
                cluster.adminConnection(), this::sink));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, s.outcome(), logText());
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.SWITCH), types(s));
        assertEquals(100, event(s, StrategyEvent.Type.SWITCH).weight());
        assertEquals(Map.of("app", "web", COLOUR, "green"), selector(cluster, "web"));
        assertEquals(podIps(cluster, "green"), endpointIps(cluster, "web"),
                "verified before the switch counted as done: the active Service's endpoints are the green pods");
        assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(cluster, "web-preview"));
        Deployment blue = deployment(cluster, "web-blue");
        assertEquals(3, blue.getSpec().getReplicas(), "blue keeps its pods for the delay");
        assertNotNull(blue.getMetadata().getAnnotations().get("k8s-progressive-delivery.jenkins.io/scale-down-at"));

        DeployException again = assertThrows(DeployException.class, () -> engine.switchOver(
                switchRequest(cluster, Duration.ofSeconds(30), false), cluster.adminConnection(), this::sink));
        assertTrue(again.getMessage().startsWith("Nothing new to switch to: blue (Deployment/web-blue) holds the"
                + " version that served before green"), again.getMessage());
    }

    @Test
    void switchingBackWithinTheDelayIsOneInstantSelectorChange(TestCluster cluster) throws Exception {
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));
        String v2 = write("v2.yaml", app("registry.example/web:2", "", ""));
        deploy(cluster, request(cluster, v1));
        DeployRecord promoted = deploy(cluster, request(cluster, v2).autoSwitch(true)
                .scaleDownDelay(Duration.ofMinutes(5)));
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.SWITCH), types(promoted), logText());
        endpointsAre(cluster, "web", "green");
        Set<String> bluePods = pods(cluster, "blue").stream().map(p -> p.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(3, bluePods.size(), "blue still has its pods within the delay");

        List<String> changes = new ArrayList<>();
        try (Watch watch = cluster.admin().services().inNamespace(cluster.namespace()).withName("web")
                .watch(new Watcher<Service>() {
                    @Override
                    public void eventReceived(Action action, Service s) {
                        synchronized (changes) {
                            changes.add(action + " " + s.getSpec().getSelector().get(COLOUR));
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                });
                KubeCluster kube = KubeCluster.connect(cluster.adminConnection())) {
            Thread.sleep(300);
            synchronized (changes) {
                changes.clear();
            }
            long t0 = System.nanoTime();
            BlueGreenRollout back = engine.switchBack(switchRequest(cluster, Duration.ofMinutes(5), false),
                    cluster.adminConnection(), this::sink);
            Rollout.Tick first = back.tick(kube, Clock.systemUTC(), this::sink);
            Duration tookToSwitch = Duration.ofNanos(System.nanoTime() - t0);
            Map<String, String> right = selector(cluster, "web");
            Duration patch = back.switchLatency().orElseThrow();
            System.out.println("[bluegreen] switch back: " + tookToSwitch.toMillis() + " ms from the call to the"
                    + " selector changed (connect and checks included), PATCH " + patch.toMillis() + " ms");

            assertFalse(first.finished());
            assertEquals("blue", right.get(COLOUR), "switched back by the first tick");
            assertTrue(tookToSwitch.toMillis() < 1000, "instant: " + tookToSwitch);
            assertTrue(patch.toMillis() < 250, "one PATCH: " + patch);
            assertFalse(logText().contains("not instant"), logText());

            while (!back.tick(kube, Clock.systemUTC(), this::sink).finished()) {
                Thread.sleep(50);
            }
            DeployRecord r = back.record(Clock.systemUTC());
            assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), logText());
            assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.SWITCH_BACK), types(r));
            assertEquals(0, event(r, StrategyEvent.Type.SWITCH_BACK).weight(),
                    "the new version takes no traffic after switching back");
            Thread.sleep(300);
            synchronized (changes) {
                assertEquals(List.of("MODIFIED blue"), changes, "one selector change of the active Service");
            }
        }
        assertEquals(bluePods, pods(cluster, "blue").stream().map(p -> p.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new)), "the same blue pods serve again, none was created");
        assertEquals(podIps(cluster, "blue"), endpointIps(cluster, "web"));
        assertEquals(Map.of("app", "web", COLOUR, "green"), selector(cluster, "web-preview"));
        assertNull(annotation(deployment(cluster, "web-blue"), "scale-down-at"), "the active colour is never due");
        assertNotNull(annotation(deployment(cluster, "web-green"), "scale-down-at"),
                "the scale-down moved to the colour just left");
        assertEquals(3, deployment(cluster, "web-green").getSpec().getReplicas());
    }

    /**
     * The API server stops answering between the switch and the old colour's scale-down (a relay in front of it is
     * taken down for 4 s): the rollout waits it out and finishes, each step once.
     */
    @Test
    void anApiServerOutageAfterTheSwitchIsWaitedOut(TestCluster cluster) throws Exception {
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));
        String v2 = write("v2.yaml", app("registry.example/web:2", "", ""));
        deploy(cluster, request(cluster, v1));
        try (io.jenkins.plugins.k8sdeploy.testbed.OutageProxy proxy =
                io.jenkins.plugins.k8sdeploy.testbed.OutageProxy.start(cluster)) {
            io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection via = proxy.connection();
            BlueGreenRollout rollout = engine.deploy(request(cluster, v2).autoSwitch(true)
                    .scaleDownDelay(Duration.ofSeconds(6)).waitForScaleDown(true).build(),
                    new LocalManifestFiles(dir), via, this::sink);
            java.util.concurrent.CompletableFuture<DeployRecord> running =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return Rollouts.run(rollout, via, Clock.systemUTC(), this::sink, false);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            eventually("the switch", () -> logText().contains("Switched Service web from blue to green"));

            proxy.down();
            Thread.sleep(4000);
            proxy.up();
            DeployRecord r = running.get(90, java.util.concurrent.TimeUnit.SECONDS);

            assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), logText());
            assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.SWITCH, StrategyEvent.Type.SCALE_DOWN),
                    types(r), "each step once");
            assertTrue(logText().contains("The Kubernetes API server answers again after "), logText());
            assertEquals(Map.of("app", "web", COLOUR, "green"), selector(cluster, "web"));
            assertEquals(0, deployment(cluster, "web-blue").getSpec().getReplicas());
        }
    }

    @Test
    void afterTheDelayTheOldColourIsScaledToZeroAndSwitchingBackThenScalesItUpFirst(TestCluster cluster)
            throws Exception {
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));
        String v2 = write("v2.yaml", app("registry.example/web:2", "", ""));
        deploy(cluster, request(cluster, v1));

        long t0 = System.nanoTime();
        DeployRecord r = deploy(cluster, request(cluster, v2).autoSwitch(true).scaleDownDelay(Duration.ofSeconds(2))
                .waitForScaleDown(true));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), logText());
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.SWITCH, StrategyEvent.Type.SCALE_DOWN), types(r));
        StrategyEvent sw = event(r, StrategyEvent.Type.SWITCH);
        StrategyEvent down = event(r, StrategyEvent.Type.SCALE_DOWN);
        assertTrue(Duration.between(sw.at(), down.at()).toMillis() >= 2000, "not before the delay: " + r.events());
        assertTrue(took.toSeconds() < 30, "took " + took);
        Deployment blue = deployment(cluster, "web-blue");
        assertEquals(0, blue.getSpec().getReplicas());
        assertNull(annotation(blue, "scale-down-at"), "the annotation goes once done");
        eventually("the blue pods are gone", () -> pods(cluster, "blue").isEmpty());
        assertEquals(3, deployment(cluster, "web-green").getSpec().getReplicas(), "the active colour is never scaled");

        DeployRecord back = run(cluster, engine.switchBack(switchRequest(cluster, Duration.ofSeconds(30), false),
                cluster.adminConnection(), this::sink));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, back.outcome(), logText());
        assertTrue(logText().contains("Switching back is not instant: blue (Deployment/web-blue) had been scaled down"
                + " (scaled to 0 replicas). Scaled it up to 3 replicas"), logText());
        assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(cluster, "web"));
        assertEquals(podIps(cluster, "blue"), endpointIps(cluster, "web"));
        assertEquals(3, podIps(cluster, "blue").size());
    }

    @Test
    void aNeverReadyNewColourFailsWithItsReasonAndLeavesTheActiveColourUntouched(TestCluster cluster)
            throws Exception {
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));
        String v2 = write("v2.yaml", app("registry.example/web:2", ", k8spd.test/behaviour: never-ready", ""));
        deploy(cluster, request(cluster, v1));
        Map<String, String> before = versions(cluster);

        DeployRecord r = deploy(cluster, request(cluster, v2).autoSwitch(true).timeout(Duration.ofSeconds(4)));

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome(), logText());
        assertTrue(r.failure().startsWith("Deployment/web-green in " + cluster.namespace() + " failed: did not become"
                + " available within 4 s; still "), r.failure());
        assertTrue(r.failure().contains("is not ready (ContainersNotReady: containers with unready status: [web])"),
                r.failure());
        assertTrue(r.failure().contains("Readiness probe failed"), "the pod's events are quoted: " + r.failure());
        assertTrue(r.failure().endsWith("The active colour blue (Service web) is untouched and still serves;"
                + " Deployment/web-green was scaled to 0."), r.failure());
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.ABORT), types(r));
        assertEquals(0, event(r, StrategyEvent.Type.ABORT).weight());
        assertEquals(before.get("Deployment/web-blue"), versions(cluster).get("Deployment/web-blue"),
                "the active colour was not touched");
        assertEquals(before.get("Service/web"), versions(cluster).get("Service/web"));
        assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(cluster, "web"));
        assertEquals(0, deployment(cluster, "web-green").getSpec().getReplicas());
        endpointsAre(cluster, "web", "blue");
        DeployException noBack = assertThrows(DeployException.class, () -> engine.switchBack(
                switchRequest(cluster, Duration.ofSeconds(30), false), cluster.adminConnection(), this::sink));
        assertTrue(noBack.getMessage().startsWith("There is no earlier version to switch back to: green"),
                noBack.getMessage());
    }

    @Test
    void aPlainDeploymentFromBeforeIsLeftUntouchedAndTheServiceMovesToBlue(TestCluster cluster) throws Exception {
        cluster.admin().apps().deployments().inNamespace(cluster.namespace()).resource(
                new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                        .withNewMetadata().withName("web").endMetadata()
                        .withNewSpec().withReplicas(2)
                        .withNewSelector().addToMatchLabels("app", "web").endSelector()
                        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                        .withNewSpec().addNewContainer().withName("web").withImage("registry.example/web:0")
                        .endContainer().endSpec().endTemplate().endSpec().build()).create();
        eventually("the plain Deployment is available", () -> {
            var d = deployment(cluster, "web");
            return d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas());
        });
        long generation = deployment(cluster, "web").getMetadata().getGeneration();
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));

        DeployRecord r = deploy(cluster, request(cluster, v1));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), logText());
        assertTrue(logText().contains("Deployment/web exists from before blue-green; it is left untouched"),
                logText());
        assertEquals(generation, deployment(cluster, "web").getMetadata().getGeneration());
        assertEquals(2, deployment(cluster, "web").getSpec().getReplicas());
        assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(cluster, "web"));
        assertEquals(podIps(cluster, "blue"), endpointIps(cluster, "web"), "only blue pods, not the plain ones");
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.SWITCH), types(r));
    }

    @Test
    void stoppingWhileTheNewColourComesUpScalesItDownAndLeavesTheActiveOne(TestCluster cluster) throws Exception {
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));
        String v2 = write("v2.yaml", app("registry.example/web:2", ", k8spd.test/behaviour: never-ready", ""));
        deploy(cluster, request(cluster, v1));
        BlueGreenRollout rollout = begin(cluster, request(cluster, v2).autoSwitch(true));

        try (KubeCluster kube = KubeCluster.connect(cluster.adminConnection())) {
            assertFalse(rollout.tick(kube, Clock.systemUTC(), this::sink).finished());
            rollout.stop("build aborted", true, kube, Clock.systemUTC(), this::sink);
        }

        DeployRecord r = rollout.record(Clock.systemUTC());
        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals("Stopped: build aborted. Stopped (build aborted): Deployment/web-green scaled to 0; blue serves,"
                + " untouched.", r.failure());
        assertEquals(0, deployment(cluster, "web-green").getSpec().getReplicas());
        assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(cluster, "web"));
    }

    @Test
    void badInputChangesNothing(TestCluster cluster) throws Exception {
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));
        String bad = write("bad.yaml", app("registry.example/web:2", "", "") + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: Not_A_Valid_Name}
                data: {a: b}
                """);
        deploy(cluster, request(cluster, v1));
        Map<String, String> before = versions(cluster);

        DeployException e = assertThrows(DeployException.class, () -> begin(cluster, request(cluster, bad)));

        assertTrue(e.getMessage().contains("ConfigMap/Not_A_Valid_Name") && e.getMessage().contains("nothing was"
                + " applied"), e.getMessage());
        assertEquals(before, versions(cluster));
        assertNull(deployment(cluster, "web-green"));
    }

    /** resourceVersions of the app's objects, to show that nothing changed. */
    static Map<String, String> versions(TestCluster cluster) {
        Map<String, String> v = new java.util.TreeMap<>();
        for (String s : List.of("web", "web-preview")) {
            Service svc = service(cluster, s);
            v.put("Service/" + s, svc == null ? "-" : svc.getMetadata().getResourceVersion());
        }
        for (String d : List.of("web-blue", "web-green")) {
            Deployment dep = deployment(cluster, d);
            // The controllers update a Deployment's status all the time, and the Deployment controller writes its
            // revision annotation once it first sees a new Deployment; what we change is its spec and our annotations.
            Map<String, String> ours = new java.util.TreeMap<>();
            if (dep != null && dep.getMetadata().getAnnotations() != null) {
                dep.getMetadata().getAnnotations().forEach((k, val) -> {
                    if (!k.startsWith("deployment.kubernetes.io/")) {
                        ours.put(k, val);
                    }
                });
            }
            v.put("Deployment/" + d, dep == null ? "-" : "generation " + dep.getMetadata().getGeneration()
                    + ", replicas " + dep.getSpec().getReplicas() + ", " + ours);
        }
        return v;
    }

    @Test
    void behindAnApprovalGateTheNewColourWaitsOnThePreviewAndSwitchesOnceApproved(TestCluster cluster)
            throws Exception {
        String v1 = write("v1.yaml", app("registry.example/web:1", "", ""));
        String v2 = write("v2.yaml", app("registry.example/web:2", "", ""));
        deploy(cluster, request(cluster, v1));
        io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout gate =
                io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout.between(begin(cluster, request(cluster, v2)),
                        new GatedSwitch(switchRequest(cluster, Duration.ofSeconds(30), false)),
                        new io.jenkins.plugins.k8sdeploy.engine.strategy.Approval.Policy("Switch to 2?", null, false),
                        DeployRecord.Strategy.BLUE_GREEN, "web");
        Clock clock = Clock.systemUTC();
        try (KubeCluster kube = KubeCluster.connect(cluster.adminConnection())) {
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(90);
            while (gate.pendingApproval().isEmpty()) {
                assertTrue(java.time.Instant.now().isBefore(deadline), logText());
                assertFalse(gate.tick(kube, clock, this::sink).finished(), logText());
            }
            assertEquals(Map.of("app", "web", COLOUR, "blue"), selector(cluster, "web"), "blue still serves");
            assertEquals(Map.of("app", "web", COLOUR, "green"), selector(cluster, "web-preview"));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(gate);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                gate = (io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout) in.readObject();
            }
            String id = gate.pendingApproval().orElseThrow().id();
            gate.decide(new io.jenkins.plugins.k8sdeploy.engine.strategy.Approval.Decision(id, true, "alice", null),
                    clock, this::sink);
            DeployRecord r = run(cluster, gate);
            assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), logText());
            assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.PAUSE, StrategyEvent.Type.APPROVAL_WAIT,
                    StrategyEvent.Type.APPROVED, StrategyEvent.Type.START, StrategyEvent.Type.SWITCH), types(r));
            assertEquals(Map.of("app", "web", COLOUR, "green"), selector(cluster, "web"));
            endpointsAre(cluster, "web", "green");
        }
    }

    static String annotation(Deployment d, String key) {
        var a = d.getMetadata().getAnnotations();
        return a == null ? null : a.get("k8s-progressive-delivery.jenkins.io/" + key);
    }

    /** The rollout survives Java serialization, as a Jenkins step saves it between ticks. */
    static BlueGreenRollout roundTrip(BlueGreenRollout rollout) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(rollout);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (BlueGreenRollout) in.readObject();
        }
    }
}
