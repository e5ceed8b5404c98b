package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
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
 * Canaries from a Jenkinsfile against the local control plane: k8sDeploy(strategy: 'canary') runs the plan, and
 * canaryPromote moves it on, whether the plan ended (nobody drives the canary) or a parallel branch's k8sDeploy still
 * drives it and waits at an approval. The record maps the steps return are what the Jenkinsfile sees.
 */
@JenkinsTest
@RequiresCluster
class CanaryPipelineJenkinsTest {
    @TempDir
    Path dir;

    /** The credential, the manifest (one Deployment, 2 replicas) and the namespace, as a Jenkinsfile prefix. */
    String setUp(TestCluster cluster) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "kc", "", "kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        return "def k = [manifests: '" + manifest + "', credentialsId: 'kc', namespace: '" + cluster.namespace()
                + "', strategy: 'canary']\n"
                + "def c = [app: 'web', credentialsId: 'kc', namespace: '" + cluster.namespace() + "']\n";
    }

    static WorkflowJob job(JenkinsRule j, String name, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    String image(TestCluster cluster, String deployment) {
        var d = cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName(deployment).get();
        return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void aCanaryLeftWhereItsPlanEndsIsPromotedByCanaryPromote(JenkinsRule j, TestCluster cluster) throws Exception {
        String script = setUp(cluster) + """
                node {
                  def first = k8sDeploy(k + [images: 'web=registry.example/web:1'])
                  echo "first: ${first.outcome} ${first.strategy} ${first.events*.type}"
                  def canary = k8sDeploy(k + [images: 'web=registry.example/web:2', plan: '50%'])
                  echo "canary: ${canary.outcome} ${canary.strategy} ${canary.app} paused=${canary.events*.type.contains('PAUSE')}"
                  def promoted = canaryPromote(c)
                  echo "promoted: ${promoted.outcome} ${promoted.strategy} ${promoted.events*.type.contains('PROMOTED')}"
                }
                """;

        WorkflowRun run = j.buildAndAssertStatus(Result.SUCCESS, job(j, "p", script));

        j.assertLogContains("First deploy of web: there is no stable version to compare with", run);
        j.assertLogContains("first: SUCCEEDED canary [PROMOTED]", run);
        j.assertLogContains("The plan ends here: the canary stays at 50%", run);
        j.assertLogContains("canary: SUCCEEDED canary web paused=true", run);
        j.assertLogContains("Promoting the canary of web fully (jenkins: p#1 (canaryPromote)).", run);
        j.assertLogContains("promoted: SUCCEEDED canary true", run);
        j.assertLogNotContains("\tat ", run);
        assertEquals("registry.example/web:2", image(cluster, "web"));
        assertNull(image(cluster, "web-canary"), "the canary Deployment is removed after the promotion");
    }

    @Test
    void aParallelBranchPromotesTheCanaryItsSiblingHoldsAtAnApproval(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path go = dir.resolve("go");
        String script = setUp(cluster) + """
                node {
                  k8sDeploy(k + [images: 'web=registry.example/web:1'])
                  parallel deploy: {
                    def r = k8sDeploy(k + [images: 'web=registry.example/web:2', plan: '50%%, approval, 100%%'])
                    echo "deploy: ${r.outcome} approved=${r.events*.type.contains('APPROVED')}"
                  }, promote: {
                    waitUntil { fileExists('%s') }
                    def r = canaryPromote(c)
                    echo "promote: ${r.outcome}"
                  }
                }
                """.formatted(go);
        WorkflowRun run = job(j, "p", script).scheduleBuild2(0).waitForStart();
        j.waitForMessage("Promote the canary of web beyond 50%?", run);

        Files.writeString(go, "approve");

        j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(run));
        j.assertLogContains("Asked jenkins: p#1, which drives the canary of web, to ", run);
        j.assertLogContains("promote: SUCCEEDED", run);
        j.assertLogContains("deploy: SUCCEEDED approved=true", run);
        assertEquals("registry.example/web:2", image(cluster, "web"));
        assertNull(image(cluster, "web-canary"));
    }

    @Test
    void anAbortAskedForSucceedsAndLeavesTheStableVersion(JenkinsRule j, TestCluster cluster) throws Exception {
        String script = setUp(cluster) + """
                node {
                  k8sDeploy(k + [images: 'web=registry.example/web:1'])
                  k8sDeploy(k + [images: 'web=registry.example/web:2', plan: '50%'])
                  def r = canaryPromote(c + [abort: true])
                  echo "abort: ${r.outcome} ${r.failure}"
                }
                """;

        WorkflowRun run = j.buildAndAssertStatus(Result.SUCCESS, job(j, "p", script));

        j.assertLogContains("abort: ABORTED The canary was aborted on request.", run);
        assertEquals("registry.example/web:1", image(cluster, "web"));
        assertNull(image(cluster, "web-canary"));
    }

    @Test
    void promotingWhenNoCanaryIsInProgressFailsWithTheReason(JenkinsRule j, TestCluster cluster) throws Exception {
        String script = setUp(cluster) + """
                node {
                  k8sDeploy(k + [images: 'web=registry.example/web:1'])
                  canaryPromote(c)
                }
                """;

        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job(j, "p", script));

        j.assertLogContains("No canary of Deployment/web is in progress in namespace " + cluster.namespace()
                + ": there is nothing to promote.", run);
        j.assertLogNotContains("\tat ", run);
    }

    @Test
    void aFreestyleJobRunsACanaryAndAnotherAbortsIt(JenkinsRule j, TestCluster cluster) throws Exception {
        setUp(cluster);
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder deploy = new K8sDeployBuilder(new K8sDeployStep(dir.resolve("app.yaml").toString()));
        deploy.getStep().setCredentialsId("kc");
        deploy.getStep().setNamespace(cluster.namespace());
        deploy.getStep().setStrategy("canary");
        deploy.getStep().setPlan("50%");
        project.getBuildersList().add(deploy);
        j.buildAndAssertStatus(Result.SUCCESS, project);
        deploy.getStep().setImages("web=registry.example/web:2");
        FreeStyleBuild canary = j.buildAndAssertStatus(Result.SUCCESS, project);
        j.assertLogContains("The plan ends here: the canary stays at 50%", canary);
        CanaryPromoteBuilder abort = new CanaryPromoteBuilder(new CanaryPromoteStep("web"));
        abort.getStep().setCredentialsId("kc");
        abort.getStep().setNamespace(cluster.namespace());
        abort.getStep().setAbort(true);
        FreeStyleProject undo = j.createFreeStyleProject("undo");
        undo.getBuildersList().add(abort);

        FreeStyleBuild aborted = j.buildAndAssertStatus(Result.SUCCESS, undo);

        j.assertLogContains("Abort requested by jenkins: undo#1 (canaryPromote).", aborted);
        assertEquals("registry.example/web:1", image(cluster, "web"));
        assertNull(image(cluster, "web-canary"));
    }
}
