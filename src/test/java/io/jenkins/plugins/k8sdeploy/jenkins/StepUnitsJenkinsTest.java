package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.AbortException;
import hudson.model.Result;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * How the steps' units behave in a real controller: they run on the plugin's own named threads, never on Jenkins'
 * shared timer; a stop returns at once even while a unit is busy (here an apply blocked reading a manifest from a
 * named pipe, as a slow agent would block it) and the rollback follows in a unit of its own, recorded; a safe
 * restart waits while a unit changes the cluster; and a restart that came before a unit's result was saved repeats
 * nothing. (Session-based: not {@link JenkinsTest}, same tag and name rule.)
 */
@Tag("jenkins")
@RequiresCluster
class StepUnitsJenkinsTest {
    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @TempDir
    Path dir;

    static void job(JenkinsRule j, TestCluster cluster, Path manifest) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "kc", "", "kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        SystemCredentialsProvider.getInstance().save();
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node { k8sDeploy manifests: '" + manifest
                + "', credentialsId: 'kc', namespace: '" + cluster.namespace() + "' }", true));
    }

    /** Replaces {@code file} with a named pipe: a read of it blocks until something writes. */
    static void namedPipe(Path file) throws Exception {
        Files.deleteIfExists(file);
        Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo " + file);
    }

    /** The k8sDeploy execution running in {@code b}, once there is one. */
    static StepExecution execution(WorkflowRun b) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (b.getExecution() != null) {
                List<StepExecution> running = b.getExecution().getCurrentExecutions(true).get(10, TimeUnit.SECONDS);
                for (StepExecution e : running) {
                    if (e instanceof ProgressExecution) {
                        return e;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no step execution started in " + b);
    }

    /** Waits until a thread is inside {@code method} and returns its name. */
    static String threadIn(String method) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                if (Arrays.stream(e.getValue()).anyMatch(f -> (f.getClassName() + "." + f.getMethodName())
                        .endsWith(method))) {
                    return e.getKey().getName();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no thread ever ran " + method);
    }

    String image(TestCluster cluster) {
        return cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void aStopReturnsAtOnceWhileAnApplyRunsThenTheRollbackFollowsAndIsRecorded(TestCluster cluster)
            throws Throwable {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployRestartJenkinsTest.deployment("registry.example/web:1", "0s", ""));
        sessions.then(j -> {
            job(j, cluster, manifest);
            WorkflowJob p = j.jenkins.getItemByFullName("p", WorkflowJob.class);
            j.buildAndAssertSuccess(p);
            namedPipe(manifest);
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            StepExecution e = execution(b);
            String thread = threadIn("RolloutDriver.startUnit");
            assertTrue(thread.startsWith("k8s-progressive-delivery unit "), "the apply runs on the plugin's own"
                    + " threads, not on Jenkins' shared timer: " + thread);
            assertTrue(e.blocksRestart(), "a safe restart waits while the apply changes the cluster");
            assertEquals("applying manifests", e.getStatus());

            long t0 = System.nanoTime();
            e.stop(new AbortException("stopped by the test"));
            long stopMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(stopMillis < 100, "stop returned after " + stopMillis + " ms while the apply was busy");
            assertEquals("stopping", e.getStatus());

            // The apply carries on with the file's content (a v2 that never becomes ready), then the stop acts.
            Files.writeString(manifest, K8sDeployRestartJenkinsTest.deployment("registry.example/web:2", "0s",
                    ", k8spd.test/behaviour: never-ready"));
            j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
            j.assertLogContains("stopped by the test", b);
            j.assertLogContains("The build was stopped during the rollout; rolling back.", b);
            j.assertLogContains("Rolling back: Deployment/web rolled back from revision 2 to 1", b);
            assertEquals("registry.example/web:1", image(cluster));
            assertFalse(e.blocksRestart(), "nothing runs once the step has ended");

            RolloutsAction rollouts = b.getAction(RolloutsAction.class);
            assertNotNull(rollouts, "the stopped rollout is recorded on the build page");
            RolloutView r = rollouts.getRollouts().get(0);
            assertEquals("FAILED", r.getOutcome());
            assertTrue(r.getFailure().contains("the build was stopped"), r.getFailure());
            assertEquals(1, r.getRollbacks().size(), String.valueOf(r.getRollbacks()));
        });
    }

    @Test
    void aRestartBeforeAnApplyWasSavedRepeatsNothing(TestCluster cluster) throws Throwable {
        Path manifest = dir.resolve("app.yaml");
        namedPipe(manifest);
        try {
            sessions.then(j -> {
                job(j, cluster, manifest);
                WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).scheduleBuild2(0).waitForStart();
                StepExecution e = execution(b);
                threadIn("RolloutDriver.startUnit");
                assertTrue(e.blocksRestart());
                // Jenkins goes down now (not a safe restart, which would wait): the apply has saved nothing.
            });
            sessions.then(j -> {
                WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
                j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
                j.assertLogContains("Jenkins restarted while this step was changing the cluster, before it had saved"
                        + " what it did; nothing is repeated after a restart.", b);
                assertNull(cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web")
                        .get(), "the apply was not run again after the restart");
                assertNull(b.getAction(RolloutsAction.class), "no rollout record: nothing was rolled out");
            });
        } finally {
            // The first Jenkins' unit is still blocked opening the pipe (an open is not interruptible): let it go
            // with an empty read. Opened for reading and writing, a pipe never blocks its opener.
            new java.io.RandomAccessFile(manifest.toFile(), "rw").close();
        }
    }
}
