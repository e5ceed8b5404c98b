package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * {@code approval:} on a rolling k8sDeploy (asked before anything is applied) and on blueGreenSwitch (asked before the
 * switch), from a Jenkinsfile: the gate is shown on the build page, a submitter decides by POST, and the decision is in
 * the rollout record.
 */
@JenkinsTest
@RequiresCluster
class GatedDeployPipelineJenkinsTest {
    @TempDir
    Path dir;

    WorkflowJob job(JenkinsRule j, TestCluster cluster, String script) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "kc", "", "kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node {\n" + script + "\n}", true));
        return p;
    }

    String rolling(TestCluster cluster, String approval) throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        return "  def r = k8sDeploy manifests: '" + manifest + "', credentialsId: 'kc', namespace: '"
                + cluster.namespace() + "', approval: " + approval + "\n"
                + "  echo \"outcome=${r.outcome} events=${r.events*.type}\"";
    }

    boolean deployed(TestCluster cluster) {
        return cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get() != null;
    }

    @Test
    void aRollingDeployWaitsBeforeApplyingAndRunsWhenApproved(JenkinsRule j, TestCluster cluster) throws Exception {
        ApprovalGatePipelineJenkinsTest.security(j);
        WorkflowRun b = job(j, cluster, rolling(cluster,
                "[message: 'Deploy 1 to production?', submitter: 'alice']")).scheduleBuild2(0).waitForStart();
        ApprovalsAction.Pending gate = ApprovalGatePipelineJenkinsTest.waitForGate(b);
        assertEquals("Deploy 1 to production?", gate.getMessage());
        j.assertLogContains("Deploy 1 to production? Proceed or Abort on the build page (alice).", b);
        assertTrue(!deployed(cluster), "nothing applied while the gate waits");
        // Marked paused, as the input step marks it: Stage View and Pipeline Graph View show the build waiting.
        org.jenkinsci.plugins.workflow.graph.FlowNode step = b.getExecution().getCurrentHeads().get(0);
        assertTrue(org.jenkinsci.plugins.workflow.support.actions.PauseAction.isPaused(step));

        assertEquals(403, ApprovalGatePipelineJenkinsTest.post(j, b, "bob", "proceed", gate.getId(), null));
        assertEquals(302, ApprovalGatePipelineJenkinsTest.post(j, b, "alice", "proceed", gate.getId(), "go"));

        j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
        step = b.getExecution().getNode(step.getId());
        assertTrue(!org.jenkinsci.plugins.workflow.support.actions.PauseAction.isPaused(step), "no longer paused");
        assertTrue(org.jenkinsci.plugins.workflow.support.actions.PauseAction.getPauseDuration(step) > 0);
        j.assertLogContains("Approved by alice: go.", b);
        j.assertLogContains("outcome=SUCCEEDED events=[APPROVAL_WAIT, APPROVED, START]", b);
        assertTrue(deployed(cluster));
        assertEquals("alice", b.getAction(ApprovalsAction.class).getDecided().get(0).getWho());
    }

    /** The files under {@code dir} (program.dat, build.xml, the log, records...) whose bytes hold {@code text}. */
    static java.util.List<String> filesHolding(Path dir, String text) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains(text);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    /**
     * With {@code substitute: true} the build's whole environment is substituted, a password parameter (or a
     * {@code withCredentials} secret) included; a gate waiting for a person keeps none of it on disk, in program.dat
     * or anywhere in the build's folder, and the deploy still gets it once approved.
     */
    @Test
    void aWaitingGateKeepsNoValueOfTheEnvironmentOnDisk(JenkinsRule j, TestCluster cluster) throws Exception {
        ApprovalGatePipelineJenkinsTest.security(j);
        String secret = "pw-7f3a9c-never-on-disk";
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:${TAG}", "")
                .replace("containers: [{name: web,", "containers: [{name: web, env: [{name: DB_PASSWORD, value:"
                        + " \"${DB_PASSWORD}\"}],"));
        WorkflowJob p = job(j, cluster, "  k8sDeploy manifests: '" + manifest + "', credentialsId: 'kc', namespace: '"
                + cluster.namespace() + "', substitute: true, variables: 'TAG=1',"
                + " approval: [message: 'Ship release-marker-42?', submitter: 'alice']");
        p.addProperty(new hudson.model.ParametersDefinitionProperty(new hudson.model.PasswordParameterDefinition(
                "DB_PASSWORD", hudson.util.Secret.fromString(secret), "")));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        ApprovalsAction.Pending gate = ApprovalGatePipelineJenkinsTest.waitForGate(b);
        Path buildDir = b.getRootDir().toPath();
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (filesHolding(buildDir, "release-marker-42").stream().noneMatch(f -> f.endsWith("program.dat"))) {
            assertTrue(java.time.Instant.now().isBefore(deadline), "the waiting gate was never saved to program.dat"
                    + " (the search finds what is saved: the gate's message)");
            Thread.sleep(200);
        }
        assertEquals(java.util.List.of(), filesHolding(buildDir, secret), "no file of the waiting build holds it");

        assertEquals(302, ApprovalGatePipelineJenkinsTest.post(j, b, "alice", "proceed", gate.getId(), null));
        j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
        assertEquals(secret, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web")
                .get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).getValue(),
                "substituted once approved");
        assertEquals(java.util.List.of(), filesHolding(buildDir, secret), "nor any file of the finished build");
    }

    @Test
    void aRejectedRollingDeployAppliesNothing(JenkinsRule j, TestCluster cluster) throws Exception {
        ApprovalGatePipelineJenkinsTest.security(j);
        WorkflowRun b = job(j, cluster, rolling(cluster, "[submitter: 'release-managers']")).scheduleBuild2(0)
                .waitForStart();
        ApprovalsAction.Pending gate = ApprovalGatePipelineJenkinsTest.waitForGate(b);

        assertEquals(302, ApprovalGatePipelineJenkinsTest.post(j, b, "carol", "abort", gate.getId(), "freeze"));

        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
        j.assertLogContains("Rejected by carol: freeze.", b);
        j.assertLogNotContains("\tat ", b);
        assertTrue(!deployed(cluster), "nothing applied");
        RolloutView r = b.getAction(RolloutsAction.class).getRollouts().get(0);
        assertTrue(String.valueOf(r.getEvents()).contains("Rejected by carol"), "in the record");
    }

    @Test
    void aTimedOutRollingDeployFailsAndAppliesNothing(JenkinsRule j, TestCluster cluster) throws Exception {
        WorkflowRun b = job(j, cluster, rolling(cluster, "[timeout: '3s']")).scheduleBuild2(0).waitForStart();
        ApprovalsAction.Pending gate = ApprovalGatePipelineJenkinsTest.waitForGate(b);
        assertTrue(gate.getDeadlineText() != null, "the deadline is shown");
        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
        j.assertLogContains("No decision within 3 s", b);
        assertNull(b.getAction(ApprovalsAction.class).getDecided().get(0).getWho());
        assertTrue(!deployed(cluster), "nothing applied");
    }

    @Test
    void approvalWithDryRunOrASwitchBackIsRefused(JenkinsRule j, TestCluster cluster) throws Exception {
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, job(j, cluster,
                "  k8sDeploy manifests: 'x.yaml', credentialsId: 'kc', dryRun: true, approval: [:]\n"
                + "  blueGreenSwitch app: 'web', credentialsId: 'kc', rollback: true, approval: [:]"));
        j.assertLogContains("approval and dryRun do not go together", b);
    }
}
