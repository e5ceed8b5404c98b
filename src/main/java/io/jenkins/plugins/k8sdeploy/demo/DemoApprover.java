package io.jenkins.plugins.k8sdeploy.demo;

import static io.jenkins.plugins.k8sdeploy.demo.Demo.APP;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryState;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Watches the canary for its approval gate. With {@code --yes} it approves after {@code approvalDelay}, the way
 * {@code k8spd canary promote} does from another terminal (the command goes to the canary's driver through the
 * Deployment); without, it prints that command and reminds every 30 s.
 */
final class DemoApprover implements AutoCloseable {
    private final KubernetesClient client;
    private final Demo.Options o;
    private final Console console;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean stop;

    DemoApprover(KubernetesClient client, Demo.Options options, Console console, Clock clock) {
        this.client = client;
        this.o = options;
        this.console = console;
        this.clock = clock;
        this.thread = new Thread(this::watch, "demo-approval");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void watch() {
        Instant waitingSince = null;
        Instant nextReminder = null;
        boolean approved = false;
        try {
            while (!stop) {
                Thread.sleep(1000);
                Deployment stable = client.apps().deployments().inNamespace(o.namespace()).withName(APP).get();
                String phase = stable == null ? null : CanaryState.annotations(stable).get(CanaryState.PHASE);
                if (!CanaryState.AWAITING_APPROVAL.equals(phase)) {
                    waitingSince = null;
                    continue;
                }
                Instant now = Instant.now();
                if (waitingSince == null) {
                    waitingSince = now;
                    nextReminder = now.plusSeconds(30);
                    tellHowToApprove();
                }
                if (o.yes() && !approved && !now.isBefore(waitingSince.plus(o.approvalDelay()))) {
                    approved = true;
                    approve();
                } else if (!o.yes() && now.isAfter(nextReminder)) {
                    console.line("Still waiting for approval (" + Console.format(Duration.between(waitingSince,
                            now)) + "): " + promoteCommand());
                    nextReminder = now.plusSeconds(30);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KubernetesClientException | DeployException e) {
            console.line("The approval watcher stopped: " + e.getMessage());
        }
    }

    private void tellHowToApprove() {
        if (o.yes()) {
            console.line("--yes: approving in " + Console.format(o.approvalDelay()) + ", as this command would: "
                    + promoteCommand());
        } else {
            console.line("");
            console.line(">>> Approval needed. In another terminal, run:");
            console.line(">>>   " + promoteCommand());
            console.line(">>> (or abort: " + o.k8spd() + " canary abort " + APP + " -n " + o.namespace()
                    + " --kubeconfig " + o.kubeconfig() + "; next time, --yes approves by itself)");
            console.line("");
        }
    }

    private void approve() throws DeployException, InterruptedException {
        Consumer<String> log = line -> console.line("(--yes) " + line);
        Rollout command = new CanaryEngine(clock).control(o.connection(), o.namespace(), APP,
                CanaryEngine.Action.PROMOTE, 0, "k8spd demo --yes", AnalysisPort.NONE, Duration.ofMinutes(1),
                log);
        Rollouts.run(command, o.connection(), clock, log, false);
    }

    private String promoteCommand() {
        return o.k8spd() + " canary promote " + APP + " -n " + o.namespace() + " --kubeconfig " + o.kubeconfig();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(5000);
    }
}
