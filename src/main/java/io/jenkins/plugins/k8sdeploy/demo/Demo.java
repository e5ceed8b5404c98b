package io.jenkins.plugins.k8sdeploy.demo;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryPlan;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRollout;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The main job in one command, with the engine called directly (no Jenkins, no shelling out), on real requests: v1 of
 * {@code examples/demo/web.yaml} deployed behind an HTTPRoute of the test bed's Gateway (Traefik); users (threads of
 * this JVM) sending requests through Traefik from then on; a local Prometheus scraping Traefik's own metrics; v2
 * rolled out as a canary whose weights are set on the HTTPRoute, through a plan of weights, an analysis of its error
 * rate that passes, an approval (given from the command line, or by {@code --yes}) and full promotion; v3, whose pods
 * fail one request in five, rolled out the same way until the analysis catches the fault and the canary is aborted
 * back to v2; and one HTML report of the two canaries, with their records as JSON beside it, each with the shares of
 * the requests every version answered, as the users counted them.
 *
 * <p>Idempotent: the namespace (only one this demo created) is deleted and made again, a Prometheus a previous run
 * left is stopped. Ctrl-C aborts a running canary before the JVM exits.
 *
 * <p>This class holds the story's steps; {@link DemoSetup} what they stand on (Ctrl-C, the namespace, the analysis
 * configuration), {@link DemoApprover} the approval, {@link DemoNarrator} and {@link Console} what is printed.
 */
public final class Demo {
    public static final String APP = "web";
    /** Marks the namespaces this demo made: only those are ever deleted. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "k8spd-demo";
    /** The plan of both canaries; {@code %s} is the pause. */
    static final String PLAN = "20%%, pause %s, analysis errors, 50%%, approval, 100%%";
    /** The name of the users' counts in the records (an analysis that judges nothing; see DemoTraffic#shares). */
    static final String REQUESTS = "requests through Traefik (measured by the demo)";
    /** The users: threads, and requests a second each at most (latency slows them: 80 ms allows 12). */
    static final int USERS = 8;
    static final int REQUESTS_PER_USER = 20;
    /** Phases this JVM runs. */
    static final int PHASES = 6;

    /** One version of the app: what goes into the manifest's ${...}. */
    record Version(String label, String version, String errorRate, String latencyMs) {
        Map<String, String> variables(String namespace) {
            return Map.of("VERSION", version, "ERROR_RATE", errorRate, "LATENCY_MS", latencyMs, "ROUTE_PATH",
                    routePath(namespace));
        }

        String image() {
            return "registry.example/demo/web:" + version;
        }
    }

    static final RouterSpec ROUTER = RouterSpec.of(RouterSpec.Type.GATEWAY_API, APP);
    static final Version V1 = new Version("v1", "1.0.0", "0.01", "80");
    static final Version V2 = new Version("v2", "2.0.0", "0.01", "70");
    static final Version V3 = new Version("v3", "3.0.0", "0.20", "90");

    /**
     * What to run against.
     *
     * @param kubeconfig the file {@code connection} came from, for the promote command the demo prints
     * @param examples the folder with {@code web.yaml} and {@code analysis.yaml}
     * @param state where Prometheus and the reports go
     * @param approvalDelay with {@code yes}: how long the approval gate stays open before the demo approves it
     * @param earlier phases that ran before this JVM, for the timing table
     * @param startedAt when the demo started (bin/demo starts before this JVM), or null for now
     * @param k8spd how to call k8spd in the printed commands ("bin/k8spd")
     * @param proxy where requests to the Gateway go (the test bed's Traefik: http://127.0.0.1:36080)
     * @param proxyMetrics host:port of the proxy's Prometheus metrics (/metrics; the test bed's: 127.0.0.1:36081)
     */
    public record Options(ClusterConnection connection, Path kubeconfig, String namespace, Path examples, Path state,
            Path prometheus, Duration pause, boolean yes, Duration approvalDelay, Duration timeout,
            List<DemoPhase> earlier, Instant startedAt, String k8spd, URI proxy, String proxyMetrics) {}

    /** The path the demo's HTTPRoute serves in {@code namespace}: one per namespace, so demos side by side differ. */
    static String routePath(String namespace) {
        return "/" + namespace;
    }

    /**
     * What the demo did.
     *
     * @param report the HTML report, or null when the demo failed before it could write one
     * @param failure what went wrong, or null when everything went as the demo expects
     */
    public record Result(DeployRecord v1, DeployRecord v2, DeployRecord v3, Path report, List<DemoPhase> phases,
            String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private final Options o;
    private final Console console;
    private final Clock clock = Clock.systemUTC();
    private final String driver = "k8spd demo " + ManagementFactory.getRuntimeMXBean().getName();
    private final DemoSetup setup;
    private final DemoNarrator narrator;

    Demo(Options options, PrintStream out) {
        this(options, out, PHASES);
    }

    private Demo(Options options, PrintStream out, int phases) {
        this.o = options;
        this.console = new Console(out, System::nanoTime, options.earlier(), options.earlier().size() + phases,
                options.startedAt() == null ? Duration.ZERO
                        : Duration.between(options.startedAt(), Instant.now()).abs());
        this.setup = new DemoSetup(options, console);
        this.narrator = new DemoNarrator(console, options.k8spd());
    }

    /**
     * Runs the demo; never throws for what a user can fix (the result's failure says it). Ctrl-C interrupts it: a
     * running canary is aborted, the report of what ran is written and Prometheus stopped before the JVM exits.
     */
    public static Result run(Options options, PrintStream out) {
        Demo demo = new Demo(options, out);
        return DemoSetup.interruptible(out, demo::run);
    }

    /**
     * The demo's surroundings without its deploys, for a Jenkins that runs the same story ({@code bin/demo --jenkins},
     * {@code examples/demo/Jenkinsfile}): the namespace made again, the users sending requests through Traefik and
     * Prometheus scraping Traefik's metrics. Prometheus' address is written to {@code urlFile} once it scrapes; then this serves until it is
     * interrupted (Ctrl-C, SIGTERM), and stops Prometheus.
     *
     * @return null when it served until stopped, else what went wrong
     */
    public static String serveMetrics(Options options, Path urlFile, PrintStream out) {
        Demo demo = new Demo(options, out, 2);
        return DemoSetup.interruptible(out, () -> demo.serve(urlFile));
    }

    private Result run() {
        DeployRecord v1 = null;
        DeployRecord v2 = null;
        DeployRecord v3 = null;
        Path report = null;
        String failure = null;
        boolean interrupted = false;
        String ns = o.namespace();
        console.plain("k8spd demo: " + APP + " v1, then v2 and v3 as canaries, in namespace " + ns + " of "
                + o.connection().serverUrl());
        try (KubeCluster cluster = KubeCluster.connect(o.connection())) {
            console.phase("namespace");
            setup.recreateNamespace(cluster.client(), ns);

            console.phase("metrics");
            try (DemoPrometheus prometheus = DemoPrometheus.start(o.prometheus(), o.state(), o.proxyMetrics());
                    DemoTraffic users = DemoTraffic.start(setup.users(), USERS, REQUESTS_PER_USER, clock)) {
                console.line("Prometheus " + prometheus.version() + ": " + prometheus.url() + " (pid "
                        + prometheus.pid() + ", scrapes Traefik's metrics at " + o.proxyMetrics() + " every second;"
                        + " state in " + prometheus.dir() + ")");
                prometheus.awaitScrapes(1);
                console.line("Prometheus scrapes Traefik.");
                CanaryPlan plan = plan(o.pause());
                AnalysisPort analysis = setup.analysis(prometheus.url(), plan);

                console.phase("v1 deploy");
                v1 = deploy(V1, plan, analysis);
                if (!v1.succeeded()) {
                    throw new DemoFailure("v1 did not deploy: " + v1.failure());
                }
                console.line(USERS + " users send up to " + USERS * REQUESTS_PER_USER + " requests a second to "
                        + users.uri() + " (Traefik, HTTPRoute " + APP + ") from now on; waiting until v1 answers them.");
                users.awaitAnswersFrom(V1.image(), 50, Duration.ofSeconds(60));
                console.line("v1 answers the users' requests through Traefik.");

                console.phase("v2 canary");
                console.line("v2 as a canary, plan: " + plan + "; its weights are set on HTTPRoute " + APP + ".");
                v2 = canary(cluster, V2, plan, analysis);
                v2 = withRequests(v2, users, V2, V1);
                if (!DeployRecord.Outcome.SUCCEEDED.equals(v2.outcome()) || !promoted(v2)) {
                    throw new DemoFailure("v2 was not promoted (" + v2.outcome() + "): " + v2.failure());
                }
                console.line("v2 is promoted: Deployment/" + APP + " runs " + V2.image() + ".");

                console.phase("v3 canary (faulty)");
                console.line("v3 fails " + percent(V3.errorRate()) + " of its requests; the same plan, whose analysis"
                        + " should catch it.");
                v3 = canary(cluster, V3, plan, analysis);
                v3 = withRequests(v3, users, V3, V2);
                if (!DeployRecord.Outcome.ABORTED.equals(v3.outcome())) {
                    throw new DemoFailure("v3 should have been aborted by its analysis, but its outcome is "
                            + v3.outcome() + (v3.failure() == null ? "" : ": " + v3.failure()));
                }
                narrator.tellWhatDecided(v3);
                checkBackOnV2(cluster.client(), ns);
            }
        } catch (InterruptedException e) {
            // the flag stays clear until the report is written: file channels refuse an interrupted thread
            interrupted = true;
            failure = "Interrupted; a canary that was running has been aborted.";
        } catch (DemoFailure | DeployException e) {
            failure = e.getMessage();
        } catch (IOException | KubernetesClientException | IllegalStateException e) {
            failure = String.valueOf(e.getMessage());
        } finally {
            List<DemoReport.Named> named = new ArrayList<>();
            if (v2 != null) {
                named.add(new DemoReport.Named("v2-canary", v2));
            }
            if (v3 != null) {
                named.add(new DemoReport.Named("v3-canary", v3));
            }
            if (!named.isEmpty()) {
                console.phase("report");
                try {
                    report = DemoReport.write(o.state().resolve("reports"), ns, clock.instant(), named, units());
                    narrator.tellReport(report, named);
                } catch (IOException e) {
                    failure = failure != null ? failure : "Could not write the report: " + e.getMessage();
                }
            }
        }
        if (failure != null) {
            console.line("FAILED: " + failure);
        }
        console.summary();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new Result(v1, v2, v3, report, console.phases(), failure);
    }

    private String serve(Path urlFile) {
        String ns = o.namespace();
        console.plain("k8spd demo --metrics-only: namespace " + ns + " of " + o.connection().serverUrl()
                + ", the metrics of app " + APP + " and a Prometheus scraping them, until stopped");
        try (KubeCluster cluster = KubeCluster.connect(o.connection())) {
            console.phase("namespace");
            setup.recreateNamespace(cluster.client(), ns);
            console.phase("metrics");
            try (DemoPrometheus prometheus = DemoPrometheus.start(o.prometheus(), o.state(), o.proxyMetrics());
                    DemoTraffic users = DemoTraffic.start(setup.users(), USERS, REQUESTS_PER_USER, clock)) {
                console.line(USERS + " users send requests to " + users.uri() + " (answered once the pipeline"
                        + " deploys the app); Prometheus " + prometheus.version() + ": " + prometheus.url() + " (pid "
                        + prometheus.pid() + "), scraping Traefik's metrics at " + o.proxyMetrics());
                prometheus.awaitScrapes(1);
                if (urlFile != null) {
                    Path tmp = urlFile.resolveSibling(urlFile.getFileName() + ".tmp");
                    Files.writeString(tmp, prometheus.url() + "\n", StandardCharsets.UTF_8);
                    Files.move(tmp, urlFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                console.line("Prometheus scrapes Traefik; serving until stopped (Ctrl-C).");
                new CountDownLatch(1).await();
            }
        } catch (InterruptedException e) {
            console.line("Stopped: Prometheus is stopped, the namespace stays.");
            return null;
        } catch (DemoFailure | IOException | KubernetesClientException | IllegalStateException e) {
            console.line("FAILED: " + e.getMessage());
            return String.valueOf(e.getMessage());
        }
        return null;
    }

    /** A failure of the demo's own expectations, in words. */
    static final class DemoFailure extends Exception {
        DemoFailure(String message) {
            super(message);
        }
    }

    // --- the steps ---

    private DeployRecord deploy(Version v, CanaryPlan plan, AnalysisPort analysis) throws DeployException,
            IOException, InterruptedException {
        DeployRequest d = DeployRequest.builder()
                .manifests(List.of("web.yaml"))
                .namespace(o.namespace())
                .pinNamespace(true)
                .variables(v.variables(o.namespace()))
                .timeout(o.timeout())
                .rollbackOnFailure(true)
                .build();
        CanaryRequest request = new CanaryRequest(d, APP, plan, ROUTER, null, null, driver);
        console.line("Deploying " + v.label() + ": " + v.image() + ", error rate " + percent(v.errorRate())
                + ", latency " + v.latencyMs() + " ms.");
        Consumer<String> log = console::line;
        Rollout rollout = new CanaryEngine(clock).start(request, new LocalManifestFiles(o.examples()), o.connection(),
                analysis, log);
        return Rollouts.run(rollout, o.connection(), clock, log, true);
    }

    private DeployRecord canary(KubeCluster cluster, Version v, CanaryPlan plan, AnalysisPort analysis)
            throws DeployException, IOException, InterruptedException {
        try (DemoApprover approver = new DemoApprover(cluster.client(), o, console, clock)) {
            approver.start();
            return deploy(v, plan, analysis);
        }
    }

    /** After v3's abort: Deployment/web runs v2 alone. */
    private void checkBackOnV2(KubernetesClient client, String ns) throws DemoFailure {
        Deployment web = client.apps().deployments().inNamespace(ns).withName(APP).get();
        Deployment canary = client.apps().deployments().inNamespace(ns).withName(CanaryRollout.canaryName(APP)).get();
        String image = web == null ? null : web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        Integer ready = web == null || web.getStatus() == null ? null : web.getStatus().getReadyReplicas();
        if (!V2.image().equals(image) || canary != null) {
            throw new DemoFailure("After the abort Deployment/" + APP + " should run " + V2.image() + " alone, but it"
                    + " runs " + image + (canary != null ? " and Deployment/" + canary.getMetadata().getName()
                            + " is still there" : "") + ".");
        }
        console.line("Back on v2: Deployment/" + APP + " runs " + image + " on " + (ready == null ? 0 : ready) + " of "
                + web.getSpec().getReplicas() + " pods, and no canary is left.");
    }

    // --- helpers ---

    private static boolean promoted(DeployRecord r) {
        return r.events().stream().anyMatch(e -> StrategyEvent.Type.PROMOTED.equals(e.type()));
    }

    /** The demo's plan with {@code pause} in whole seconds (at least one). */
    static CanaryPlan plan(Duration pause) throws DeployException {
        long s = Math.max(1, (pause.toMillis() + 999) / 1000);
        return CanaryPlan.parse(String.format(PLAN, s + "s"));
    }

    static String percent(String share) {
        return AnalysisReports.number(Double.parseDouble(share) * 100) + "%";
    }

    /**
     * The record with the users' counts while it ran added as an analysis that judges nothing, so the report draws
     * the share each version answered next to the weight; and a line saying them.
     */
    private DeployRecord withRequests(DeployRecord r, DemoTraffic users, Version canary, Version stable) {
        Instant to = r.finished() != null ? r.finished() : clock.instant();
        AnalysisRecord shares = users.shares(REQUESTS, r.started(), to, List.of(canary.image(), stable.image()));
        console.line("Requests while the " + canary.label() + " canary ran: " + shares.message() + ".");
        List<AnalysisRecord> analyses = new ArrayList<>(r.analyses());
        analyses.add(shares);
        return new DeployRecord(r.server(), r.outcome(), r.started(), r.finished(), r.durationMillis(),
                r.apiRequests(), r.objects(), r.workloads(), r.rollbacks(), r.timeline(), r.failure(), r.strategy(),
                r.app(), r.events(), analyses);
    }

    /** The units of the report's series: every metric of the demo is a percentage. */
    private static Map<String, String> units() {
        Map<String, String> u = new java.util.HashMap<>(Map.of("canary-error-rate", "%", "stable-error-rate", "%"));
        for (Version v : List.of(V1, V2, V3)) {
            u.put(DemoTraffic.shareMetric(v.image()), "%");
        }
        u.put(DemoTraffic.shareMetric(DemoTraffic.LOST), "%");
        return u;
    }
}
