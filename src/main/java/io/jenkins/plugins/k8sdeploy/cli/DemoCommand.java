package io.jenkins.plugins.k8sdeploy.cli;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import io.jenkins.plugins.k8sdeploy.demo.Demo;
import io.jenkins.plugins.k8sdeploy.demo.DemoPhase;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code k8spd demo}: the main job against the local test bed (see {@link Demo}). {@code bin/demo} brings the test bed
 * up and builds k8spd first. Exit codes: 0 the demo went as it should (v2 promoted, v3 aborted back to v2, report
 * written), 1 it did not (the message says why), 2 bad command line.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Deploy the example app, roll v2 out as a"
        + " canary with analysis and approval, then a faulty v3 that the analysis aborts; write an HTML report."
        + " Against the local test bed (testbed/up) unless --kubeconfig says otherwise.")
class DemoCommand implements Callable<Integer> {
    @Option(names = "--yes", description = "Approve the canary's approval gate by itself (after --approval-delay)"
            + " instead of waiting for 'k8spd canary promote'.")
    boolean yes;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Cluster to use (default: the test bed's"
            + " admin kubeconfig, $K8SPD_TESTBED_DIR/admin.kubeconfig or"
            + " ~/.local/state/k8s-progressive-delivery/testbed/admin.kubeconfig). Never $KUBECONFIG: the demo"
            + " recreates its namespace.")
    Path kubeconfig;

    @Option(names = "--context", description = "Kubeconfig context (default: its current-context).")
    String context;

    @Option(names = {"-n", "--namespace"}, defaultValue = "demo", description = "Namespace to (re)create and deploy"
            + " to; only one the demo made is ever deleted (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--pause", converter = DurationConverter.class, defaultValue = "10s",
            description = "The plan's pause at 20%% (default: ${DEFAULT-VALUE}).")
    Duration pause;

    @Option(names = "--approval-delay", converter = DurationConverter.class, defaultValue = "3s",
            description = "With --yes: how long the approval gate stays open first (default: ${DEFAULT-VALUE}).")
    Duration approvalDelay;

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "3m",
            description = "How long each step may take to get its pods ready (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--examples", paramLabel = "DIR", description = "Folder with web.yaml and analysis.yaml"
            + " (default: examples/demo here, or of the repository k8spd runs from).")
    Path examples;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where Prometheus and the reports go (default:"
            + " ~/.local/state/k8s-progressive-delivery/demo).")
    Path state;

    @Option(names = "--prometheus", paramLabel = "FILE", description = "Prometheus binary (default:"
            + " $K8SPD_PROMETHEUS, else /usr/bin/prometheus, which testbed/up installs).")
    Path prometheus;

    @Option(names = "--proxy", paramLabel = "URL", description = "Where requests to the Gateway that web.yaml's"
            + " HTTPRoute is attached to go (default: the test bed's Traefik, K8SPD_TESTBED_PROXY_URL in"
            + " $K8SPD_TESTBED_DIR/testbed.env).")
    URI proxy;

    @Option(names = "--proxy-metrics", paramLabel = "HOST:PORT", description = "Where the proxy serves its Prometheus"
            + " metrics, /metrics (default: the test bed's Traefik, K8SPD_TESTBED_PROXY_ADMIN_URL in its testbed.env).")
    String proxyMetrics;

    @Option(names = "--metrics-only", description = "Deploy nothing: make the namespace, send the demo's requests"
            + " through the proxy and run a Prometheus scraping the proxy's metrics until stopped, for a Jenkins"
            + " running examples/demo/Jenkinsfile (bin/demo --jenkins does).")
    boolean metricsOnly;

    @Option(names = "--url-file", paramLabel = "FILE", description = "With --metrics-only: write Prometheus' address"
            + " to FILE once it scrapes.")
    Path urlFile;

    @Option(names = "--earlier-phase", hidden = true, paramLabel = "NAME=SECONDS",
            description = "A phase bin/demo ran before (the test bed, the build), for the timing table.")
    List<String> earlier = new ArrayList<>();

    @Option(names = "--started-at", hidden = true, paramLabel = "EPOCH_MS",
            description = "When bin/demo started, so the times printed count from then.")
    Long startedAt;

    @Override
    public Integer call() throws InterruptedException {
        try {
            Path kc = kubeconfig != null ? kubeconfig : testbedDir().resolve("admin.kubeconfig");
            ClusterConnection c = connection(kc, kubeconfig == null);
            Path ex = examples != null ? examples : examplesDir();
            if (!Files.isRegularFile(ex.resolve("web.yaml")) || !Files.isRegularFile(ex.resolve("analysis.yaml"))) {
                throw new DeployException("No web.yaml and analysis.yaml in " + ex.toAbsolutePath() + ": run k8spd"
                        + " demo from the repository's root, or pass --examples DIR.");
            }
            URI proxyUrl = proxy != null ? proxy : URI.create(testbedSetting("K8SPD_TESTBED_PROXY_URL", "--proxy"));
            String metrics = proxyMetrics != null ? proxyMetrics
                    : hostAndPort(testbedSetting("K8SPD_TESTBED_PROXY_ADMIN_URL", "--proxy-metrics"));
            Demo.Options options = new Demo.Options(c, kc.toAbsolutePath(), namespace, ex, state != null ? state
                    : home().resolve(".local/state/k8s-progressive-delivery/demo"), prometheusBinary(), pause, yes,
                    approvalDelay, timeout, earlierPhases(), startedAt == null ? null
                    : java.time.Instant.ofEpochMilli(startedAt), k8spdCommand(ex), proxyUrl, metrics);
            if (metricsOnly) {
                return Demo.serveMetrics(options, urlFile, System.out) == null ? 0 : 1;
            }
            Demo.Result r = Demo.run(options, System.out);
            return r.ok() ? 0 : 1;
        } catch (DeployException e) {
            System.err.println("k8spd: " + e.getMessage());
            return 1;
        }
    }

    private ClusterConnection connection(Path kc, boolean testbed) throws DeployException {
        if (!Files.isRegularFile(kc)) {
            throw new DeployException(testbed ? "There is no test bed kubeconfig at " + kc + ": bring the test bed up"
                    + " first (testbed/up; bin/demo does both), or pass --kubeconfig." : "The kubeconfig " + kc
                    + " does not exist.");
        }
        return ClusterOptions.connection(kc, context);
    }

    /** A setting of the running test bed, from its testbed.env; says which option to pass when there is none. */
    static String testbedSetting(String name, String option) throws DeployException {
        Path env = testbedDir().resolve("testbed.env");
        try {
            if (Files.isRegularFile(env)) {
                for (String line : Files.readAllLines(env, StandardCharsets.UTF_8)) {
                    if (line.startsWith(name + "=") && line.length() > name.length() + 1) {
                        return line.substring(name.length() + 1).strip();
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new DeployException("Could not read " + env + ": " + e.getMessage());
        }
        throw new DeployException("The demo sends its requests through a Gateway API proxy, and " + env + " does not"
                + " say where the test bed's is (" + name + "): bring the test bed up (testbed/up; bin/demo does),"
                + " or pass " + option + ".");
    }

    /** host:port of a URL, as Prometheus wants its scrape target. */
    static String hostAndPort(String url) {
        URI u = URI.create(url);
        return u.getHost() + ":" + u.getPort();
    }

    /** The test bed's state folder, by the same rule as testbed/lib/common.sh. */
    static Path testbedDir() {
        String dir = System.getenv("K8SPD_TESTBED_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir) : home().resolve(
                ".local/state/k8s-progressive-delivery/testbed");
    }

    /** $HOME as the shell sees it (as testbed/up does), else the JVM's. */
    @SuppressFBWarnings(value = "ENV_USE_PROPERTY_INSTEAD_OF_ENV",
            justification = "testbed/up and bin/demo find their state under $HOME; user.home can differ from it")
    static Path home() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    private Path prometheusBinary() {
        if (prometheus != null) {
            return prometheus;
        }
        String env = System.getenv("K8SPD_PROMETHEUS");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/prometheus");
    }

    /** examples/demo here, else of the repository these classes were built in (offline/plugin/target/classes). */
    static Path examplesDir() {
        Path here = Path.of("examples", "demo");
        if (Files.isDirectory(here)) {
            return here;
        }
        Path root = repositoryRoot();
        return root != null ? root.resolve("examples/demo") : here;
    }

    /** The repository k8spd runs from, found above its classes; null when it is not in one. */
    static Path repositoryRoot() {
        try {
            Path p = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("bin/k8spd")) && Files.isDirectory(p.resolve("examples"))) {
                    return p;
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // not from a folder of classes
        }
        return null;
    }

    /** How the printed commands call k8spd: bin/k8spd when run from the repository's root, else its full path. */
    static String k8spdCommand(Path examples) {
        Path parent = examples.toAbsolutePath().normalize().getParent();
        Path root = parent == null ? null : parent.getParent();
        if (root == null || !Files.isRegularFile(root.resolve("bin/k8spd"))) {
            return "k8spd";
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        return root.equals(cwd) ? "bin/k8spd" : root.resolve("bin/k8spd").toString();
    }

    private List<DemoPhase> earlierPhases() throws DeployException {
        List<DemoPhase> out = new ArrayList<>();
        for (String e : earlier) {
            int eq = e.lastIndexOf('=');
            try {
                out.add(new DemoPhase(e.substring(0, eq),
                        Double.parseDouble(e.substring(eq + 1).strip())));
            } catch (RuntimeException x) {
                throw new DeployException("--earlier-phase " + e + ": expected NAME=SECONDS, such as 'test bed=12.5'.");
            }
        }
        return out;
    }
}
