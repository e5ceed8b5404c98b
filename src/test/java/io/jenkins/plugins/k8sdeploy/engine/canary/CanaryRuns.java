package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.manifest.LocalManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** For tests that need a canary in progress against the test bed: one started, and its log. */
final class CanaryRuns {
    static final Clock CLOCK = Clock.systemUTC();

    private CanaryRuns() {}

    /**
     * Version 1 of web on 4 pods (straight to full, as a first deploy goes), then the start of a canary of version 2
     * with {@code plan}, through {@code via}, driven by {@code driver}; its lines go to {@code log}.
     */
    static Rollout v1ThenCanaryOfV2(TestCluster c, Path dir, ClusterConnection via, String plan, Duration timeout,
            String driver, Consumer<String> log) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), CanaryEngineTest.app("registry.example/web:1.0", 4, ""),
                StandardCharsets.UTF_8);
        DeployRequest deploy = DeployRequest.builder().manifests(List.of("app.yaml")).namespace(c.namespace())
                .timeout(timeout).build();
        Rollouts.run(new CanaryEngine(CLOCK).start(new CanaryRequest(deploy, null, CanaryPlan.parse("100%"), null,
                null, null, "t"), new LocalManifestFiles(dir), c.adminConnection(), null, s -> { }),
                c.adminConnection(), CLOCK, s -> { }, true);
        Files.writeString(dir.resolve("app.yaml"), CanaryEngineTest.app("registry.example/web:2.0", 4, ""),
                StandardCharsets.UTF_8);
        return new CanaryEngine(CLOCK).start(new CanaryRequest(deploy, null, CanaryPlan.parse(plan), null, null, null,
                driver), new LocalManifestFiles(dir), via, null, log);
    }

    /** The lines a rollout logged, kept and printed with a prefix; safe to add to from any thread. */
    static final class Log implements Consumer<String> {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final String prefix;

        Log(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void accept(String line) {
            lines.add(line);
            System.out.println(prefix + " " + line);
        }

        boolean any(String start) {
            synchronized (lines) {
                return lines.stream().anyMatch(l -> l.startsWith(start));
            }
        }

        /** Waits up to 60 s for a line that contains {@code part}. */
        void await(String part) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < end) {
                synchronized (lines) {
                    if (lines.stream().anyMatch(l -> l.contains(part))) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no line with '" + part + "':\n" + this);
        }

        @Override
        public String toString() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }
}
