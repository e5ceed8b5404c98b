package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;

/** Real deploys to the local control plane, then their build page, rollout page, REST API and job page. */
@JenkinsTest
@RequiresCluster
class RolloutsPageClusterJenkinsTest {
    @TempDir
    Path dir;

    @Test
    void aPipelineDeployShowsOnEveryPageAndItsTokenInNoFileOfTheBuild(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        String token = cluster.adminConnection().bearerToken();
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-token", "", Secret.fromString(token)));
        String script = "node { k8sDeploy manifests: '" + manifest + "', credentialsId: 'testbed-token', serverUrl: '"
                + cluster.adminConnection().serverUrl() + "', caCertificate: '''"
                + cluster.adminConnection().caCertificatePem() + "''', namespace: '" + cluster.namespace() + "' }";

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, script, Result.SUCCESS);

        JenkinsRule.WebClient wc = j.createWebClient();
        String buildPage = wc.getPage(run).asNormalizedText();
        for (String text : List.of("Kubernetes rollouts", cluster.adminConnection().serverUrl(), cluster.namespace(),
                "Deployment/web", "rolling", "registry.example/web:1", "SUCCEEDED")) {
            assertTrue(buildPage.contains(text), "the build page lacks " + text + ":\n" + buildPage);
        }
        String rollout = wc.getPage(run, "k8s-rollouts/1/").asNormalizedText();
        assertTrue(rollout.contains("Deployment/web rolled out: 2 of 2 replicas updated and available."), rollout);
        String json = wc.goTo("job/p/" + run.getNumber() + "/api/json?tree=actions[rollouts[app,outcome,toImages]]",
                "application/json").getWebResponse().getContentAsString();
        assertTrue(json.contains("\"app\":\"Deployment/web\",\"outcome\":\"SUCCEEDED\",\"toImages\":"
                + "[\"web=registry.example/web:1\"]"), json);
        String jobPage = wc.getPage(run.getParent()).asNormalizedText();
        assertTrue(jobPage.contains("Last deployed versions") && jobPage.contains("registry.example/web:1"), jobPage);

        Path buildDir = run.getRootDir().toPath();
        assertTrue(Files.isRegularFile(buildDir.resolve("k8s-rollouts/1.json")), "the record is a file of the build");
        assertFalse(Files.readString(buildDir.resolve("build.xml")).contains(token), "the token is in build.xml");
        assertFalse(K8sDeployStepJenkinsTest.buildDirectoryContains(buildDir, token),
                "the token is in a file of the build");
    }

    @Test
    void aFailedFreestyleDeployIsShownFailedAndLeavesTheLastDeployedVersion(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-kubeconfig", "", "admin.kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder builder = new K8sDeployBuilder(new K8sDeployStep(manifest.toString()));
        builder.getStep().setCredentialsId("testbed-kubeconfig");
        builder.getStep().setNamespace(cluster.namespace());
        project.getBuildersList().add(builder);
        j.buildAndAssertStatus(Result.SUCCESS, project);
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:404",
                ", k8spd.test/behaviour: image-pull-error"));

        FreeStyleBuild failed = j.buildAndAssertStatus(Result.FAILURE, project);

        JenkinsRule.WebClient wc = j.createWebClient();
        String buildPage = wc.getPage(failed).asNormalizedText();
        assertTrue(buildPage.contains("Kubernetes rollouts") && buildPage.contains("FAILED"), buildPage);
        String rollout = wc.getPage(failed, "k8s-rollouts/1/").asNormalizedText();
        assertTrue(rollout.contains("rolled back from revision 2 to 1"), rollout);
        String jobPage = wc.getPage(project).asNormalizedText();
        assertTrue(jobPage.contains("registry.example/web:1") && !jobPage.contains("registry.example/web:404"),
                "the failed deploy was rolled back: web:1 still serves\n" + jobPage);
    }
}
