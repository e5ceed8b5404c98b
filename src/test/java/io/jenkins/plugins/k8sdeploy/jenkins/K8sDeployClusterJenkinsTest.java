package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

/** The step and the builder reach the local control plane with credentials from the Jenkins store. */
@JenkinsTest
@RequiresCluster
class K8sDeployClusterJenkinsTest {

    @Test
    void tokenCredentialConnectsToTheClusterAndNeverLeaksTheToken(JenkinsRule j, TestCluster cluster)
            throws Exception {
        String token = cluster.adminConnection().bearerToken();
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-token", "", Secret.fromString(token)));
        String script = "k8sDeploy manifests: 'k8s/*.yaml', credentialsId: 'testbed-token', serverUrl: '"
                + cluster.adminConnection().serverUrl() + "', caCertificate: '''"
                + cluster.adminConnection().caCertificatePem() + "''', namespace: '" + cluster.namespace() + "'";

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, script, Result.FAILURE);

        j.assertLogContains("Connected to " + cluster.adminConnection().serverUrl() + " (Kubernetes v1.33.13).", run);
        j.assertLogContains("k8sDeploy cannot apply manifests yet", run);
        j.assertLogNotContains(token, run);
        assertFalse(K8sDeployStepJenkinsTest.buildDirectoryContains(run.getRootDir().toPath(), token), "the token is in a file of the build");
        assertEquals(0, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).list().getItems().size());
    }

    @Test
    void kubeconfigCredentialConnectsFromAFreestyleJob(JenkinsRule j, TestCluster cluster) throws Exception {
        byte[] kubeconfig = Files.readAllBytes(cluster.bed().adminKubeconfig());
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-kubeconfig", "", "admin.kubeconfig", SecretBytes.fromBytes(kubeconfig)));
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder builder = new K8sDeployBuilder("k8s/*.yaml");
        builder.setCredentialsId("testbed-kubeconfig");
        builder.setNamespace(cluster.namespace());
        project.getBuildersList().add(builder);

        FreeStyleBuild build = j.buildAndAssertStatus(Result.FAILURE, project);

        j.assertLogContains("Connected to " + cluster.adminConnection().serverUrl() + " (Kubernetes v1.33.13).", build);
        j.assertLogContains("k8sDeploy cannot apply manifests yet", build);
        j.assertLogNotContains(cluster.adminConnection().bearerToken(), build);
        j.assertLogNotContains("\tat ", build);
    }
}
