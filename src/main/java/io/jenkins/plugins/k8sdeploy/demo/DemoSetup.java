package io.jenkins.plugins.k8sdeploy.demo;

import static io.jenkins.plugins.k8sdeploy.demo.Demo.MANAGED_BY;
import static io.jenkins.plugins.k8sdeploy.demo.Demo.MANAGER;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.demo.Demo.DemoFailure;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryPlan;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What the demo's steps stand on: Ctrl-C handling, its namespace made again (only one it made is ever deleted), the
 * analysis configuration from the examples, the address the users send to, and waiting for the cluster.
 */
final class DemoSetup {
    private final Demo.Options o;
    private final Console console;

    DemoSetup(Demo.Options options, Console console) {
        this.o = options;
        this.console = console;
    }

    /** Runs {@code body} on this thread; a JVM shutdown (Ctrl-C) interrupts it and waits up to a minute for it. */
    static <T> T interruptible(PrintStream out, Supplier<T> body) {
        Thread main = Thread.currentThread();
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (finished.get()) {
                return;
            }
            out.println();
            out.println("Interrupted: stopping the demo (a running canary is aborted first) ...");
            main.interrupt();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return body.get();
        } finally {
            finished.set(true);
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or done
            }
        }
    }

    /** Deletes the namespace when an earlier run of the demo made it, then makes it (labelled as the demo's). */
    void recreateNamespace(KubernetesClient client, String ns) throws DemoFailure, InterruptedException {
        var existing = client.namespaces().withName(ns).get();
        if (existing != null) {
            String by = existing.getMetadata().getLabels() == null ? null
                    : existing.getMetadata().getLabels().get(MANAGED_BY);
            if (!MANAGER.equals(by)) {
                throw new DemoFailure("Namespace " + ns + " exists and was not made by k8spd demo (it lacks the label "
                        + MANAGED_BY + "=" + MANAGER + "), so the demo leaves it alone. Choose another with"
                        + " --namespace, or delete it yourself.");
            }
            console.line("Deleting namespace " + ns + " of an earlier run (its Deployments first, which is quicker).");
            client.apps().deployments().inNamespace(ns).delete();
            waitFor("the pods of namespace " + ns + " to go", Duration.ofMinutes(2),
                    () -> client.pods().inNamespace(ns).list().getItems().isEmpty());
            client.namespaces().withName(ns).delete();
            waitFor("namespace " + ns + " to be deleted", Duration.ofMinutes(3),
                    () -> client.namespaces().withName(ns).get() == null);
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                .addToLabels(MANAGED_BY, MANAGER).endMetadata().build()).create();
        console.line("Namespace " + ns + " created (label " + MANAGED_BY + "=" + MANAGER + ").");
    }

    /** The analyses of the demo's plan, from {@code analysis.yaml} of the examples, on this Prometheus. */
    AnalysisPort analysis(String prometheusUrl, CanaryPlan plan) throws IOException, DeployException {
        Path file = o.examples().resolve("analysis.yaml");
        String yaml = Files.readString(file, StandardCharsets.UTF_8).replace("${PROMETHEUS}", prometheusUrl);
        AnalysisConfig config = AnalysisConfig.parse(yaml, file.toString());
        console.line("Analysis 'errors' from " + file + ": the canary's error rate every 2 s, 5 times; 5% or more"
                + " fails a measurement, a second failure fails the canary.");
        return config.build(null, plan.analyses());
    }

    /** Where the users send their requests: the demo's path on the proxy. */
    URI users() {
        String base = o.proxy().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + Demo.routePath(o.namespace()) + "/");
    }

    @FunctionalInterface
    interface Check {
        boolean done() throws KubernetesClientException;
    }

    /** Polls every half second; a line every 15 s while it waits. */
    private void waitFor(String what, Duration limit, Check check) throws DemoFailure, InterruptedException {
        Instant start = Instant.now();
        Instant nextWord = start.plusSeconds(15);
        while (!check.done()) {
            Instant now = Instant.now();
            if (now.isAfter(start.plus(limit))) {
                throw new DemoFailure("Timed out after " + Console.format(limit) + " waiting for " + what + ".");
            }
            if (now.isAfter(nextWord)) {
                console.line("Still waiting for " + what + " (" + Console.format(Duration.between(start, now)) + ").");
                nextWord = now.plusSeconds(15);
            }
            Thread.sleep(500);
        }
    }
}
