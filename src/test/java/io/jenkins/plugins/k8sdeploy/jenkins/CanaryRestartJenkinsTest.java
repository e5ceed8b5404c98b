package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A canary waits on a timer with its state saved, so a controller restart in the middle of its plan carries on from
 * the saved step and the Deployment's annotations; stopping the build mid-canary aborts it. (Session-based: not
 * {@link JenkinsTest}, same tag and name rule.)
 */
@Tag("jenkins")
@RequiresCluster
class CanaryRestartJenkinsTest {
    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @TempDir
    Path dir;

    /** Deploys v1 (straight to full), then v2 as a canary through {@code plan}. */
    void job(org.jvnet.hudson.test.JenkinsRule j, TestCluster cluster, String plan) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "kc", "", "kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        SystemCredentialsProvider.getInstance().save();
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        String k = "manifests: '" + manifest + "', credentialsId: 'kc', namespace: '" + cluster.namespace()
                + "', strategy: 'canary'";
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  k8sDeploy " + k + ", images: 'web=registry.example/web:1'\n"
                + "  def r = k8sDeploy " + k + ", images: 'web=registry.example/web:2', plan: '" + plan + "'\n"
                + "  echo \"outcome=${r.outcome} events=${r.events*.type}\"\n"
                + "}", true));
    }

    String image(TestCluster cluster, String deployment) {
        var d = cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName(deployment).get();
        return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void aRestartDuringAPauseOfThePlanCarriesOnAndPromotes(TestCluster cluster) throws Throwable {
        sessions.then(j -> {
            job(j, cluster, "50%, pause 20s, 100%");
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).scheduleBuild2(0).waitForStart();
            j.waitForMessage("Pausing 20 s at 50%.", b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
            j.assertLogContains("Pause over.", b);
            j.assertLogContains("Promoted: Deployment/web runs web=registry.example/web:2 on all pods", b);
            j.assertLogContains("outcome=SUCCEEDED", b);
            j.assertLogNotContains("was taken over by", b);
            assertEquals("registry.example/web:2", image(cluster, "web"));
            assertNull(image(cluster, "web-canary"));
        });
    }

    @Test
    void stoppingTheBuildDuringTheCanaryAbortsIt(TestCluster cluster) throws Throwable {
        sessions.then(j -> {
            job(j, cluster, "50%, approval, 100%");
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).scheduleBuild2(0).waitForStart();
            j.waitForMessage("Promote the canary of web beyond 50%?", b);

            b.doStop();

            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
            j.assertLogContains("Aborting the canary of web", b);
            assertEquals("registry.example/web:1", image(cluster, "web"));
            assertNull(image(cluster, "web-canary"));
        });
    }
}
