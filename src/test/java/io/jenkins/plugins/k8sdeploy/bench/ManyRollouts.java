package io.jenkins.plugins.k8sdeploy.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryPlan;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.Kubeconfig;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeconfigPolicy;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.ApplyLane;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RollingRollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.RolloutDriver;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A benchmark, not a test (bin/bench runs it; surefire never does): N canaries or N rolling deploys driven at once in
 * one JVM the way the Pipeline steps drive them, without Jenkins. Canaries: one {@link RolloutDriver} each behind a
 * {@link RolloutDriver.Host} on one shared pool of 8 daemon threads, as {@code RolloutExecution} on {@code Units};
 * rolling deploys the same way, as a {@link RollingRollout#plain} rollout, as {@code ProgressExecution}. Each rollout
 * has its own namespace, labelled
 * {@code k8spd-bench=1}; its pods go to extra kwok nodes made for the run (labelled and tainted the same way), so the
 * test bed's own three nodes are left to other work.
 *
 * <p>Modes: {@code run KIND N RESULT_FILE [--plan P] [--replicas R] [--timeout-minutes M]} (one kind at one N, one
 * JVM, results as a properties file); {@code kubectl KUBECTL RESULT_FILE} (kubectl apply + rollout status of the same
 * manifest at N = 1, requests counted from -v=6); {@code table OUT FILE...} (the Markdown table); {@code cleanup}.
 */
public final class ManyRollouts {
    static final String LABEL = "k8spd-bench";
    static final String V1 = "registry.example/web:1.0";
    static final String V2 = "registry.example/web:2.0";
    static final int UNIT_THREADS = 8;
    static final int PODS_PER_NODE = 1000;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        int code = switch (args[0]) {
            case "run" -> new ManyRollouts().run(args);
            case "kubectl" -> kubectl(args);
            case "table" -> table(args);
            case "cleanup" -> {
                try (KubernetesClient c = setupClient()) {
                    cleanup(c, Duration.ofMinutes(10));
                }
                yield 0;
            }
            default -> {
                usage();
                yield 2;
            }
        };
        System.exit(code);
    }

    static void usage() {
        System.err.println("usage: ManyRollouts run canary|rolling N RESULT [--plan P] [--replicas R]"
                + " [--timeout-minutes M]\n       ManyRollouts kubectl KUBECTL RESULT\n"
                + "       ManyRollouts table OUT RESULT...\n       ManyRollouts cleanup");
        System.exit(2);
    }

    static void say(String line) {
        System.err.printf(Locale.ROOT, "[bench %s] %s%n", java.time.LocalTime.now().withNano(0), line);
    }

    // ------------------------------------------------------------------------------------------------ cluster set-up

    static Path stateDir() {
        String dir = System.getenv("K8SPD_TESTBED_DIR");
        if (dir != null && !dir.isBlank()) {
            return Paths.get(dir);
        }
        return Paths.get(System.getenv("HOME"), ".local/state/k8s-progressive-delivery/testbed");
    }

    static String adminKubeconfig() throws IOException {
        return Files.readString(stateDir().resolve("admin.kubeconfig"));
    }

    /** The harness's own client for set-up, observation and clean-up: plain fabric8, not a KubeCluster, not counted. */
    static KubernetesClient setupClient() throws IOException {
        Config config = Config.fromKubeconfig(adminKubeconfig());
        config.setRequestTimeout(60_000);
        config.setMaxConcurrentRequests(64);
        config.setMaxConcurrentRequestsPerHost(64);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static String manifest(String image, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  labels: {%3$s: "1"}
                spec:
                  replicas: %2$d
                  strategy: {rollingUpdate: {maxSurge: 25%%, maxUnavailable: 25%%}}
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      nodeSelector: {%3$s: "1"}
                      tolerations: [{key: %3$s, operator: Exists, effect: NoSchedule}]
                      containers:
                      - name: web
                        image: %1$s
                """.formatted(image, replicas, LABEL);
    }

    /** Deletes every bench namespace and node (a run interrupted before leaves them), waiting until they are gone. */
    static void cleanup(KubernetesClient c, Duration atMost) throws InterruptedException {
        int ns = c.namespaces().withLabel(LABEL, "1").list().getItems().size();
        int nodes = c.nodes().withLabel(LABEL, "1").list().getItems().size();
        if (ns == 0 && nodes == 0) {
            return;
        }
        say("cleaning up " + ns + " bench namespaces and " + nodes + " bench nodes");
        c.namespaces().withLabel(LABEL, "1").delete();
        long deadline = System.nanoTime() + atMost.toNanos();
        long lastSaid = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int left = c.namespaces().withLabel(LABEL, "1").list().getItems().size();
            if (left == 0) {
                break;
            }
            if (System.nanoTime() - lastSaid > 15_000_000_000L) {
                say("  " + left + " bench namespaces still being deleted");
                lastSaid = System.nanoTime();
            }
            Thread.sleep(1000);
        }
        c.nodes().withLabel(LABEL, "1").delete();
        say("clean-up done");
    }

    /** Extra kwok nodes with a large pod capacity, tainted so only bench pods go there. */
    static void createNodes(KubernetesClient c, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            String name = "k8spd-bench-node-" + i;
            Map<String, Quantity> cap = Map.of("cpu", new Quantity("1000"), "memory", new Quantity("4Ti"), "pods",
                    new Quantity(String.valueOf(PODS_PER_NODE)));
            Node node = new NodeBuilder().withNewMetadata().withName(name)
                    .addToAnnotations("kwok.x-k8s.io/node", "fake").addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                    .addToLabels("type", "kwok-bench").addToLabels(LABEL, "1").addToLabels("kubernetes.io/hostname", name)
                    .addToLabels("kubernetes.io/os", "linux").addToLabels("kubernetes.io/arch", "amd64").endMetadata()
                    .withNewSpec().addNewTaint().withKey(LABEL).withValue("1").withEffect("NoSchedule").endTaint()
                    .endSpec()
                    .withNewStatus().withCapacity(cap).withAllocatable(cap).withNewNodeInfo().withArchitecture("amd64")
                    .withOperatingSystem("linux").endNodeInfo().endStatus().build();
            c.nodes().resource(node).create();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            long ready = c.nodes().withLabel(LABEL, "1").list().getItems().stream()
                    .filter(n -> n.getStatus() != null && n.getStatus().getConditions() != null
                            && n.getStatus().getConditions().stream().anyMatch(k -> "Ready".equals(k.getType())
                                    && "True".equals(k.getStatus())))
                    .filter(n -> n.getSpec().getTaints() == null || n.getSpec().getTaints().stream()
                            .allMatch(t -> LABEL.equals(t.getKey())))
                    .count();
            if (ready == count) {
                say(count + " bench node(s) Ready (" + PODS_PER_NODE + " pods each)");
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("bench nodes not Ready and untainted within 120 s");
    }

    /** True when the Deployment has fully rolled out {@code image}: kubectl's rule, with the image checked. */
    static boolean rolledOut(Deployment d, String image) {
        if (d.getStatus() == null || d.getSpec() == null) {
            return false;
        }
        var s = d.getStatus();
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().equals(image)
                && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration()
                && n(s.getUpdatedReplicas()) == want && n(s.getReplicas()) == want
                && n(s.getAvailableReplicas()) == want;
    }

    static int n(Integer i) {
        return i == null ? 0 : i;
    }

    /** One watch on the stable Deployments of every bench namespace: when each was first seen rolled out per image. */
    static final class Observer implements AutoCloseable {
        static final String CANARY_TRACK = "k8s-progressive-delivery.jenkins.io/track";
        final Map<String, Long> seen = new ConcurrentHashMap<>();
        final SharedIndexInformer<Deployment> informer;
        /**
         * Canary pods of every namespace: a canary has ended once the stable Deployment rolled out v2 and its canary
         * has no pod left (the rollout waits for that too, terminating pods included).
         */
        final SharedIndexInformer<Pod> canaryPods;

        Observer(KubernetesClient c) {
            canaryPods = c.pods().inAnyNamespace().withLabel(CANARY_TRACK, "canary").inform(handler(p -> look(
                    p.getMetadata().getNamespace())), 0);
            informer = c.apps().deployments().inAnyNamespace().withLabel(LABEL, "1").inform(handler(d -> look(
                    d.getMetadata().getNamespace())), 0);
        }

        private static <T> ResourceEventHandler<T> handler(Consumer<T> changed) {
            return new ResourceEventHandler<>() {
                @Override
                public void onAdd(T o) {
                    changed.accept(o);
                }

                @Override
                public void onUpdate(T old, T o) {
                    changed.accept(o);
                }

                @Override
                public void onDelete(T o, boolean unknown) {
                    changed.accept(o);
                }
            };
        }

        synchronized void look(String ns) {
            if (informer == null) {
                return; // the pod informer's first list, before the Deployments' one exists
            }
            Deployment web = informer.getStore().getByKey(ns + "/web");
            if (web == null) {
                return;
            }
            Deployment canary = informer.getStore().getByKey(ns + "/web-canary");
            boolean canaryGone = canary == null || Integer.valueOf(0).equals(canary.getSpec().getReplicas())
                    && canaryPods.getStore().list().stream().noneMatch(p -> ns.equals(p.getMetadata().getNamespace()));
            for (String image : List.of(V1, V2)) {
                if (rolledOut(web, image) && (image.equals(V1) || canaryGone)) {
                    seen.putIfAbsent(ns + "|" + image, System.nanoTime());
                }
            }
        }

        Long seen(String ns, String image) {
            return seen.get(ns + "|" + image);
        }

        @Override
        public void close() {
            informer.close();
            canaryPods.close();
        }
    }

    /** v1 in each namespace, applied as our own earlier deploy would have (server-side apply, our field manager). */
    static void deployV1(KubernetesClient c, Observer observer, List<String> namespaces, int replicas)
            throws Exception {
        ExecutorService setup = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String ns : namespaces) {
                done.add(setup.submit(() -> {
                    c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                            .addToLabels(LABEL, "1").endMetadata().build()).create();
                    GenericKubernetesResource d = c.getKubernetesSerialization().unmarshal(manifest(V1, replicas),
                            GenericKubernetesResource.class);
                    d.getMetadata().setNamespace(ns);
                    c.resource(d).inNamespace(ns).fieldManager(KubeCluster.FIELD_MANAGER).forceConflicts()
                            .serverSideApply();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            setup.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long lastSaid = System.nanoTime();
        while (true) {
            long ready = namespaces.stream().filter(ns -> observer.seen(ns, V1) != null).count();
            if (ready == namespaces.size()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("v1 not rolled out in " + (namespaces.size() - ready)
                        + " namespaces within 10 minutes");
            }
            if (System.nanoTime() - lastSaid > 15_000_000_000L) {
                say("  v1 rolled out in " + ready + "/" + namespaces.size() + " namespaces");
                lastSaid = System.nanoTime();
            }
            Thread.sleep(200);
        }
    }

    // ------------------------------------------------------------------------------------------------ measurement

    final ScheduledThreadPoolExecutor pool;
    final ConcurrentLinkedQueue<Long> lagMillis = new ConcurrentLinkedQueue<>();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger ended = new AtomicInteger();
    volatile CountDownLatch outcomes;
    volatile ClusterConnection connection;

    final ApplyLane applies;

    ManyRollouts() {
        AtomicInteger number = new AtomicInteger();
        pool = new ScheduledThreadPoolExecutor(UNIT_THREADS, r -> {
            Thread t = new Thread(r, "k8spd-unit-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        applies = new ApplyLane(pool, UNIT_THREADS, 2); // as Units: two threads kept for ticks and checks
    }

    /** Units.scheduleApply: a start waits for a free apply slot; its wait is not a tick's lag. */
    Future<?> scheduleApply(Runnable unit) {
        return applies.submit(() -> {
            try {
                unit.run();
            } catch (RuntimeException | Error e) {
                say("a unit ended with an error it did not handle: " + e);
            }
        });
    }

    /** Units.schedule, with the lag of each unit's start recorded. */
    Future<?> schedule(Runnable unit, long delayMillis) {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
        return pool.schedule(() -> {
            lagMillis.add((System.nanoTime() - due) / 1_000_000);
            try {
                unit.run();
            } catch (RuntimeException | Error e) {
                say("a unit ended with an error it did not handle: " + e);
            }
        }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** What Pipeline's saveState costs at least: the execution's state serialized (here to nowhere). */
    static void serialize(Serializable o) {
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One rollout: its namespace, its log (the last lines, as a build log would keep them), when it ended and how. */
    abstract class One {
        final String ns;
        final Deque<String> log = new ArrayDeque<>();
        volatile long endNanos;
        volatile boolean succeeded;
        volatile String failure;

        One(String ns) {
            this.ns = ns;
        }

        Consumer<String> logger() {
            return line -> {
                synchronized (log) {
                    log.addLast(line);
                    if (log.size() > 40) {
                        log.removeFirst();
                    }
                }
            };
        }

        void end(boolean ok, String why) {
            synchronized (this) {
                if (endNanos != 0) {
                    return;
                }
                endNanos = System.nanoTime();
                succeeded = ok;
                failure = why;
            }
            ended.incrementAndGet();
            outcomes.countDown();
        }

        abstract void start();

        abstract void stop();
    }

    /**
     * A rollout as RolloutExecution runs one: a RolloutDriver, its Host on the shared pool; {@link #begin} is the
     * step's first unit.
     */
    abstract class Driven extends One implements RolloutDriver.Host {
        final RolloutDriver driver;
        final Path dir;

        Driven(String ns, Path dir, boolean rollBackOnStop) {
            super(ns);
            this.dir = dir;
            this.driver = new RolloutDriver(rollBackOnStop);
        }

        abstract Rollout begin(ClusterConnection conn, Consumer<String> log) throws Exception;

        @Override
        void start() {
            driver.start(this, (conn, log) -> {
                Rollout r = begin(conn, log);
                started.incrementAndGet();
                return r;
            });
        }

        @Override
        void stop() {
            driver.stop(this, new InterruptedException("stopped by the bench's timeout"));
        }

        @Override
        public ClusterConnection connection() {
            return connection;
        }

        @Override
        public Consumer<String> log() {
            return logger();
        }

        @Override
        public Future<?> schedule(Runnable unit, long delayMillis) {
            return ManyRollouts.this.schedule(unit, delayMillis);
        }

        @Override
        public Future<?> scheduleApply(Runnable unit) {
            return ManyRollouts.this.scheduleApply(unit);
        }

        @Override
        public void saveState() {
            serialize(driver);
        }

        @Override
        public void succeeded(DeployRecord record) {
            end(true, null);
        }

        @Override
        public void failed(DeployRecord record, Throwable cause) {
            end(false, String.valueOf(cause == null ? null : cause.getMessage()));
        }
    }

    /** A canary as CanaryDeployExecution runs it. */
    final class Canary extends Driven {
        final CanaryRequest request;

        Canary(String ns, int index, Path dir, CanaryPlan plan) {
            super(ns, dir, true);
            DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(ns)
                    .timeout(Duration.ofMinutes(10)).build();
            request = new CanaryRequest(deploy, null, plan, null, null, null, "jenkins: bench/canary#" + index);
        }

        @Override
        Rollout begin(ClusterConnection conn, Consumer<String> log) throws Exception {
            return new CanaryEngine(Clock.systemUTC()).start(request, new LocalManifestFiles(dir), conn,
                    AnalysisPort.NONE, log);
        }
    }

    /** A rolling deploy as RollingDeployExecution (ProgressExecution) runs it: a plain RollingRollout. */
    final class Rolling extends Driven {
        final DeployRequest request;

        Rolling(String ns, Path dir) {
            super(ns, dir, false);
            request = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(ns)
                    .timeout(Duration.ofMinutes(10)).build();
        }

        @Override
        Rollout begin(ClusterConnection conn, Consumer<String> log) throws Exception {
            return RollingRollout.plain(new DeployEngine().begin(request, new LocalManifestFiles(dir), conn, log));
        }
    }

    /** Samples live threads and heap every 100 ms; at a new thread peak, which thread names (prefixes) there are. */
    final class Sampler implements Runnable {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        volatile boolean running = true;
        volatile int peakThreads;
        volatile long peakHeap;
        volatile Map<String, Integer> prefixesAtPeak = Map.of();
        volatile long heapAfterGc = -1;
        volatile int inFlightAtGc = -1;
        volatile int expected;
        final Thread thread = new Thread(this, "bench-sampler");

        Sampler() {
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                int live = threads.getThreadCount();
                if (live > peakThreads) {
                    peakThreads = live;
                    prefixesAtPeak = prefixes();
                }
                peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
                if (heapAfterGc < 0 && expected > 0 && started.get() >= expected) {
                    inFlightAtGc = started.get() - ended.get();
                    System.gc();
                    heapAfterGc = memory.getHeapMemoryUsage().getUsed();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Map<String, Integer> prefixes() {
            Map<String, Integer> counts = new TreeMap<>();
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
                if (info != null) {
                    counts.merge(prefix(info.getThreadName()), 1, Integer::sum);
                }
            }
            return counts;
        }
    }

    /** A thread's name without its numbers and addresses: "OkHttp TaskRunner", "k8spd-unit-#". */
    static String prefix(String name) {
        String p = name.replaceAll("https?://\\S+", "URL").replaceAll("\\b\\d+\\b", "#");
        return p.length() > 48 ? p.substring(0, 48) : p;
    }

    int run(String[] args) throws Exception {
        String kind = args[1];
        int n = Integer.parseInt(args[2]);
        Path result = Paths.get(args[3]);
        String planText = "50%, pause 20s, 100%";
        int replicas = 1;
        int timeoutMinutes = 15;
        for (int i = 4; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--plan" -> planText = args[i + 1];
                case "--replicas" -> replicas = Integer.parseInt(args[i + 1]);
                case "--timeout-minutes" -> timeoutMinutes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!kind.equals("canary") && !kind.equals("rolling")) {
            throw new IllegalArgumentException("kind is canary or rolling, not " + kind);
        }
        CanaryPlan plan = CanaryPlan.parse(planText);
        long runStart = System.nanoTime();
        connection = Kubeconfig.connection(adminKubeconfig(), null, KubeconfigPolicy.jenkins(false));
        Path dir = Files.createTempDirectory("k8spd-bench");
        Files.writeString(dir.resolve("app.yaml"), manifest(V2, replicas), StandardCharsets.UTF_8);

        KubernetesClient setup = setupClient();
        java.util.concurrent.atomic.AtomicBoolean cleaned = new java.util.concurrent.atomic.AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (cleaned.compareAndSet(false, true)) {
                say("interrupted: deleting the bench namespaces and nodes (not waiting)");
                try {
                    setup.namespaces().withLabel(LABEL, "1").delete();
                    setup.nodes().withLabel(LABEL, "1").delete();
                } catch (RuntimeException e) {
                    say("clean-up failed (the next run cleans up first): " + e);
                }
            }
        }, "bench-cleanup");
        cleanup(setup, Duration.ofMinutes(10));
        Runtime.getRuntime().addShutdownHook(hook);
        Properties out = new Properties();
        try (Observer observer = new Observer(setup)) {
            // Room for every pod of a rollout at its peak (stable, canary, surge), 1000 pods a node.
            int nodes = Math.max(1, (int) Math.ceil(n * replicas * 3.0 / PODS_PER_NODE));
            createNodes(setup, nodes);
            List<String> namespaces = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                namespaces.add("k8spd-bench-" + kind + "-" + n + "-" + i);
            }
            say("set-up: " + n + " namespaces with v1 (" + replicas + " replica(s)), 8 at a time");
            long setupStart = System.nanoTime();
            deployV1(setup, observer, namespaces, replicas);
            say("set-up done in " + secs(System.nanoTime() - setupStart));

            List<One> rollouts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rollouts.add(kind.equals("canary") ? new Canary(namespaces.get(i), i, dir, plan)
                        : new Rolling(namespaces.get(i), dir));
            }
            outcomes = new CountDownLatch(n);
            Sampler sampler = new Sampler();
            sampler.thread.start();
            Thread.sleep(1000);
            int baseline = ManagementFactory.getThreadMXBean().getThreadCount();
            Map<String, Integer> baselinePrefixes = sampler.prefixes();
            sampler.peakThreads = baseline;
            sampler.expected = n;
            long requests0 = KubeCluster.requestsInThisProcess();
            say("run: " + n + " " + kind + (kind.equals("canary") ? " (" + plan + ")" : "") + " rollouts at once;"
                    + " baseline " + baseline + " threads");
            long t0 = System.nanoTime();
            rollouts.forEach(One::start);
            long deadline = t0 + TimeUnit.MINUTES.toNanos(timeoutMinutes);
            long lastSaid = t0;
            boolean timedOut = false;
            while (!outcomes.await(1, TimeUnit.SECONDS)) {
                if (System.nanoTime() - lastSaid > 15_000_000_000L) {
                    say("  " + secs(System.nanoTime() - t0) + ": " + started.get() + " started, " + ended.get()
                            + " ended, " + ManagementFactory.getThreadMXBean().getThreadCount() + " threads");
                    lastSaid = System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    say("timeout of " + timeoutMinutes + " min: stopping the " + outcomes.getCount()
                            + " rollouts left");
                    rollouts.stream().filter(r -> r.endNanos == 0).forEach(One::stop);
                    outcomes.await(2, TimeUnit.MINUTES);
                    break;
                }
            }
            long requests1 = KubeCluster.requestsInThisProcess();
            sampler.running = false;
            sampler.thread.join(5000);
            long last = rollouts.stream().mapToLong(r -> r.endNanos).max().orElse(t0);
            boolean allEnded = rollouts.stream().allMatch(r -> r.endNanos != 0);
            rollouts.stream().filter(r -> r.endNanos == 0).forEach(r -> r.failure = "no outcome after the timeout");

            long ok = rollouts.stream().filter(r -> r.succeeded).count();
            List<String> failures = rollouts.stream().filter(r -> !r.succeeded)
                    .map(r -> r.ns + ": " + oneLine(r.failure) + lastLog(r)).limit(3).toList();
            List<Long> lags = new ArrayList<>(lagMillis);
            Collections.sort(lags);
            List<Long> detection = new ArrayList<>();
            for (One r : rollouts) {
                Long seen = observer.seen(r.ns, V2);
                if (r.succeeded && seen != null) {
                    detection.add((r.endNanos - seen) / 1_000_000);
                }
            }
            Collections.sort(detection);
            Map<String, Integer> grown = new LinkedHashMap<>();
            sampler.prefixesAtPeak.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - baselinePrefixes.getOrDefault(e.getKey(), 0)))
                    .filter(e -> e.getValue() > 0)
                    .sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(e -> grown.put(e.getKey(), e.getValue()));

            out.setProperty("kind", kind);
            out.setProperty("n", String.valueOf(n));
            out.setProperty("replicas", String.valueOf(replicas));
            out.setProperty("plan", kind.equals("canary") ? plan.toString() : "");
            out.setProperty("succeeded", String.valueOf(ok));
            out.setProperty("failed", String.valueOf(n - ok));
            out.setProperty("timedOut", String.valueOf(timedOut || !allEnded));
            out.setProperty("failures", String.join("\n", failures));
            out.setProperty("wallMillis", String.valueOf((last - t0) / 1_000_000));
            out.setProperty("baselineThreads", String.valueOf(baseline));
            out.setProperty("peakThreads", String.valueOf(sampler.peakThreads));
            out.setProperty("pluginThreads", String.valueOf(sampler.peakThreads - baseline));
            out.setProperty("threadPrefixes", grown.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .reduce((a, b) -> a + ";" + b).orElse(""));
            out.setProperty("peakHeapBytes", String.valueOf(sampler.peakHeap));
            out.setProperty("heapAfterGcBytes", String.valueOf(sampler.heapAfterGc));
            out.setProperty("inFlightAtGc", String.valueOf(sampler.inFlightAtGc));
            out.setProperty("requests", String.valueOf(requests1 - requests0));
            out.setProperty("units", String.valueOf(lags.size()));
            out.setProperty("lagP99Millis", String.valueOf(pct(lags, 99)));
            out.setProperty("lagMaxMillis", String.valueOf(lags.isEmpty() ? -1 : lags.get(lags.size() - 1)));
            out.setProperty("detectionP50Millis", String.valueOf(pct(detection, 50)));
            out.setProperty("detectionP99Millis", String.valueOf(pct(detection, 99)));
            out.setProperty("detectionCount", String.valueOf(detection.size()));
            say("run done in " + secs(last - t0) + ": " + ok + " succeeded, " + (n - ok) + " failed, "
                    + (requests1 - requests0) + " requests, peak " + sampler.peakThreads + " threads (baseline "
                    + baseline + ")");
            failures.forEach(f -> say("  failed: " + f));
            pool.shutdownNow();
        } finally {
            if (cleaned.compareAndSet(false, true)) {
                cleanup(setup, Duration.ofMinutes(10));
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            setup.close();
        }
        out.setProperty("totalMillis", String.valueOf((System.nanoTime() - runStart) / 1_000_000));
        try (var w = Files.newBufferedWriter(result, StandardCharsets.UTF_8)) {
            out.store(w, "ManyRollouts " + kind + " " + n);
        }
        return 0;
    }

    static String oneLine(String s) {
        String t = s == null ? "null" : s.replaceAll("\\s+", " ");
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    static String lastLog(One r) {
        synchronized (r.log) {
            return r.log.isEmpty() ? "" : " (last log line: " + oneLine(r.log.peekLast()) + ")";
        }
    }

    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    // ------------------------------------------------------------------------------------------------ kubectl

    /** kubectl apply -f and rollout status of the same manifest at N = 1, requests counted from -v=6. */
    static int kubectl(String[] args) throws Exception {
        String kubectl = args[1];
        Path result = Paths.get(args[2]);
        Path dir = Files.createTempDirectory("k8spd-bench-kubectl");
        Files.writeString(dir.resolve("app.yaml"), manifest(V2, 1), StandardCharsets.UTF_8);
        Properties out = new Properties();
        try (KubernetesClient setup = setupClient()) {
            cleanup(setup, Duration.ofMinutes(10));
            try (Observer observer = new Observer(setup)) {
                createNodes(setup, 1);
                String ns = "k8spd-bench-kubectl-1";
                deployV1(setup, observer, List.of(ns), 1);
                Path kubeconfig = stateDir().resolve("admin.kubeconfig");
                long t0 = System.nanoTime();
                int apply = countRequests(dir, kubectl, "--kubeconfig", kubeconfig.toString(), "--cache-dir",
                        dir.resolve("cache").toString(), "-v=6", "-n", ns, "apply", "-f", dir.resolve("app.yaml")
                                .toString());
                int status = countRequests(dir, kubectl, "--kubeconfig", kubeconfig.toString(), "--cache-dir",
                        dir.resolve("cache").toString(), "-v=6", "-n", ns, "rollout", "status", "deployment/web",
                        "--timeout=5m");
                long millis = (System.nanoTime() - t0) / 1_000_000;
                say("kubectl: apply " + apply + " requests, rollout status " + status + " requests, " + millis + " ms");
                out.setProperty("apply", String.valueOf(apply));
                out.setProperty("status", String.valueOf(status));
                out.setProperty("millis", String.valueOf(millis));
            } finally {
                cleanup(setup, Duration.ofMinutes(10));
            }
        }
        try (var w = Files.newBufferedWriter(result, StandardCharsets.UTF_8)) {
            out.store(w, "kubectl");
        }
        return 0;
    }

    static final java.util.regex.Pattern REQUEST_LINE = java.util.regex.Pattern.compile(
            "\"Response\" verb=|\\] (GET|POST|PUT|PATCH|DELETE) https?://\\S+ \\d{3}");

    static int countRequests(Path dir, String... command) throws Exception {
        Path log = Files.createTempFile(dir, "kubectl", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(6, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("kubectl did not end: " + String.join(" ", command));
        }
        List<String> lines = Files.readAllLines(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("kubectl failed (" + p.exitValue() + "): " + String.join("\n", lines));
        }
        if (Boolean.getBoolean("bench.showKubectl")) {
            lines.forEach(System.err::println);
        }
        return (int) lines.stream().filter(l -> REQUEST_LINE.matcher(l).find()).count();
    }

    // ------------------------------------------------------------------------------------------------ table

    static Properties read(Path p) throws IOException {
        Properties props = new Properties();
        try (var r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        return props;
    }

    static int table(String[] args) throws IOException {
        Path outFile = Paths.get(args[1]);
        List<Properties> runs = new ArrayList<>();
        Properties kubectl = null;
        for (int i = 2; i < args.length; i++) {
            Path p = Paths.get(args[i]);
            if (!Files.exists(p)) {
                continue;
            }
            Properties props = read(p);
            if (props.containsKey("apply")) {
                kubectl = props;
            } else {
                runs.add(props);
            }
        }
        Map<String, Double> perRolloutAtOne = new HashMap<>();
        for (Properties r : runs) {
            if (r.getProperty("n").equals("1")) {
                perRolloutAtOne.putIfAbsent(r.getProperty("kind"), Double.parseDouble(r.getProperty("requests")));
            }
        }
        StringBuilder t = new StringBuilder();
        t.append("| kind | N | ok / failed | wall | peak threads (plugin's) | peak heap | heap after GC, all started"
                + " (in flight) | API requests | per rollout (x N=1) | tick lag p99 / worst | detection p50 / p99"
                + " | whole run |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Properties r : runs) {
            int n = Integer.parseInt(r.getProperty("n"));
            double per = Double.parseDouble(r.getProperty("requests")) / n;
            Double one = perRolloutAtOne.get(r.getProperty("kind"));
            t.append(String.format(Locale.ROOT,
                    "| %s | %d | %s / %s%s | %s | %s (%s) | %s | %s (%s) | %s | %.1f (%s) | %s / %s ms | %s / %s ms | %s |\n",
                    r.getProperty("kind"), n, r.getProperty("succeeded"), r.getProperty("failed"),
                    Boolean.parseBoolean(r.getProperty("timedOut")) ? " (timeout)" : "",
                    seconds(r.getProperty("wallMillis")), r.getProperty("peakThreads"), r.getProperty("pluginThreads"),
                    mib(r.getProperty("peakHeapBytes")), mib(r.getProperty("heapAfterGcBytes")),
                    r.getProperty("inFlightAtGc"), r.getProperty("requests"), per,
                    one == null ? "-" : String.format(Locale.ROOT, "%.2fx", per / one),
                    r.getProperty("lagP99Millis"), r.getProperty("lagMaxMillis"),
                    ms(r.getProperty("detectionP50Millis")), ms(r.getProperty("detectionP99Millis")).replace(" ms", ""),
                    seconds(r.getProperty("totalMillis"))));
        }
        t.append("\nReplicas per Deployment: ").append(runs.stream().map(r -> r.getProperty("replicas")).distinct()
                .reduce((a, b) -> a + ", " + b).orElse("-"))
                .append(" (1-replica Deployments keep the API server and the controllers from being the limit).");
        runs.stream().map(r -> r.getProperty("plan")).filter(p -> p != null && !p.isEmpty()).distinct()
                .forEach(p -> t.append(" Canary plan: `").append(p).append("`."));
        t.append("\n\nThreads the run added at the peak, by name (numbers and URLs left out):\n\n");
        for (Properties r : runs) {
            t.append("- ").append(r.getProperty("kind")).append(" N=").append(r.getProperty("n")).append(": ")
                    .append(r.getProperty("threadPrefixes").isEmpty() ? "none" : r.getProperty("threadPrefixes")
                            .replace("=", " x").replace(";", ", "))
                    .append('\n');
        }
        boolean anyFailure = false;
        for (Properties r : runs) {
            String f = r.getProperty("failures");
            if (f != null && !f.isBlank()) {
                if (!anyFailure) {
                    t.append("\nFirst failures:\n\n");
                    anyFailure = true;
                }
                for (String line : f.split("\n")) {
                    t.append("- ").append(r.getProperty("kind")).append(" N=").append(r.getProperty("n"))
                            .append(": ").append(line).append('\n');
                }
            }
        }
        if (kubectl != null) {
            int k = Integer.parseInt(kubectl.getProperty("apply")) + Integer.parseInt(kubectl.getProperty("status"));
            Properties ours = runs.stream().filter(r -> r.getProperty("kind").equals("rolling")
                    && r.getProperty("n").equals("1")).findFirst().orElse(null);
            t.append("\nkubectl at N = 1 (`kubectl apply -f` then `kubectl rollout status`, -v=6, empty discovery"
                    + " cache): ").append(k).append(" requests (apply ").append(kubectl.getProperty("apply"))
                    .append(", rollout status ").append(kubectl.getProperty("status")).append("), ")
                    .append(seconds(kubectl.getProperty("millis")));
            if (ours != null) {
                long o = Long.parseLong(ours.getProperty("requests"));
                t.append(String.format(Locale.ROOT, "; our rolling deploy at N = 1: %d requests, %.2fx kubectl's",
                        o, (double) o / k));
            }
            t.append(".\n");
        }
        Files.writeString(outFile, t.toString(), StandardCharsets.UTF_8);
        System.out.println(t);
        return 0;
    }

    static String seconds(String millis) {
        return millis == null ? "-" : String.format(Locale.ROOT, "%.1f s", Long.parseLong(millis) / 1000.0);
    }

    static String ms(String millis) {
        return millis == null || millis.equals("-1") ? "-" : millis + " ms";
    }

    static String mib(String bytes) {
        return bytes == null || bytes.equals("-1") ? "-"
                : String.format(Locale.ROOT, "%d MiB", Long.parseLong(bytes) / (1024 * 1024));
    }
}
