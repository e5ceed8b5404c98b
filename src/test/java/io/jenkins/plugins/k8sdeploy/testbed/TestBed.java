package io.jenkins.plugins.k8sdeploy.testbed;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.Kubeconfig;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeconfigPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local control plane, started once per test JVM by running {@code testbed/up} (which returns at once when it is
 * already up) and left running for the next run; {@code testbed/down} stops it.
 */
public final class TestBed {
    /** A cold start builds the control plane from source: allow for it. */
    private static final long UP_TIMEOUT_MINUTES = 45;
    private static final int LOG_TAIL_LINES = 25;

    private static TestBed instance;
    private static IllegalStateException failure;

    private final Path stateDir;
    private final ClusterConnection admin;
    private final ClusterConnection deployer;

    private TestBed(Path stateDir) throws IOException, DeployException {
        this.stateDir = stateDir;
        this.admin = Kubeconfig.connection(Files.readString(adminKubeconfig()), null,
                KubeconfigPolicy.jenkins(false));
        this.deployer = Kubeconfig.connection(Files.readString(deployerKubeconfig()), null,
                KubeconfigPolicy.jenkins(false));
    }

    /** The running test bed; starts it on first use. A failed start fails every later call the same way. */
    public static synchronized TestBed get() {
        if (instance != null) {
            return instance;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            instance = start();
            return instance;
        } catch (IllegalStateException e) {
            failure = e;
            throw e;
        }
    }

    public ClusterConnection admin() {
        return admin;
    }

    /** A user in group {@code k8spd:deployers}, which has no role until a test grants one. */
    public ClusterConnection deployer() {
        return deployer;
    }

    public Path adminKubeconfig() {
        return stateDir.resolve("admin.kubeconfig");
    }

    public Path deployerKubeconfig() {
        return stateDir.resolve("deployer.kubeconfig");
    }

    /**
     * A value of the running test bed's {@code testbed.env} (written by {@code testbed/up}: ports, URLs, versions),
     * e.g. {@code K8SPD_TESTBED_PROXY_URL}; fails naming the key when it is missing.
     */
    public String env(String key) {
        Path file = stateDir.resolve("testbed.env");
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(key + " is not in " + file + "; is the test bed from an older testbed/up?"
                + " Run testbed/down, then the tests again.");
    }

    /** Traefik's entry point for requests: the Gateway {@link #gatewayParentRef()} listens there. */
    public String proxyUrl() {
        return env("K8SPD_TESTBED_PROXY_URL");
    }

    /** Traefik's own entry point: {@code /ping}, {@code /metrics}, {@code /api/rawdata}. */
    public String proxyAdminUrl() {
        return env("K8SPD_TESTBED_PROXY_ADMIN_URL");
    }

    /** The HTTPRoute parentRef to the test bed's Gateway, as YAML flow: {@code {name: testbed, namespace: ...}}. */
    public String gatewayParentRef() {
        return "{name: " + env("K8SPD_TESTBED_GATEWAY_NAME") + ", namespace: " + env("K8SPD_TESTBED_GATEWAY_NAMESPACE")
                + "}";
    }

    private static TestBed start() {
        Path root = repositoryRoot();
        Path log = Paths.get(System.getProperty("java.io.tmpdir"), "k8spd-testbed-up-" + ProcessHandle.current().pid() + ".log");
        int exit;
        try {
            System.err.println("[testbed] running testbed/up (output in " + log + ")");
            Process p = new ProcessBuilder("bash", root.resolve("testbed/up").toString())
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(UP_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("testbed/up did not finish within " + UP_TIMEOUT_MINUTES
                        + " minutes.\n" + diagnostics(log));
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("Could not run testbed/up: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the test bed", e);
        }
        if (exit != 0) {
            throw new IllegalStateException("The local control plane could not be started: testbed/up exited with "
                    + exit + ".\n" + diagnostics(log));
        }
        try {
            return new TestBed(stateDir());
        } catch (IOException | DeployException e) {
            throw new IllegalStateException("testbed/up succeeded but its kubeconfigs are unusable: " + e + "\n"
                    + diagnostics(log), e);
        }
    }

    /** Where testbed/up keeps kubeconfigs, pids and logs; the same rule as testbed/lib/common.sh. */
    static Path stateDir() {
        String dir = System.getenv("K8SPD_TESTBED_DIR");
        if (dir != null && !dir.isBlank()) {
            return Paths.get(dir);
        }
        // $HOME as the shell sees it, as testbed/up does; the JVM's user.home comes from the password database.
        String home = System.getenv("HOME");
        return Paths.get(home != null && !home.isBlank() ? home : System.getProperty("user.home"),
                ".local/state/k8s-progressive-delivery/testbed");
    }

    static Path repositoryRoot() {
        String configured = System.getProperty("k8spd.repo.root");
        Path start = configured != null ? Paths.get(configured) : Paths.get("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("testbed/up"))) {
                return p;
            }
        }
        throw new IllegalStateException("Cannot find testbed/up above " + start.toAbsolutePath());
    }

    /** The tail of testbed/up's output and of every component's log, for a failure message. */
    static String diagnostics(Path upLog) {
        StringBuilder out = new StringBuilder();
        out.append(tail("testbed/up", upLog));
        Path logs = stateDir().resolve("logs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                files.filter(f -> f.toString().endsWith(".log")).sorted().forEach(f -> out.append(tail(
                        f.getFileName().toString(), f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            out.append("(no component logs in ").append(logs).append(")\n");
        }
        return out.toString();
    }

    private static String tail(String name, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "--- " + name + ": unreadable (" + e + ")\n";
        }
        List<String> last = new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        return "--- last " + last.size() + " lines of " + name + " (" + file + ")\n" + String.join("\n", last) + "\n";
    }
}
