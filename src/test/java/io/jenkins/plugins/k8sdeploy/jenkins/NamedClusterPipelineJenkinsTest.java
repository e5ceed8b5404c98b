package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * A pipeline names a cluster an administrator configured, and deploys to the local control plane with only
 * {@code cluster:} and the manifests: the named cluster gives the server, its CA, the credential and the namespace.
 */
@JenkinsTest
@RequiresCluster
class NamedClusterPipelineJenkinsTest {
    @TempDir
    Path dir;

    @Test
    void aPipelineDeploysToANamedClusterWithItsDefaultCredentialAndNamespace(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        String token = cluster.adminConnection().bearerToken();
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-token", "", Secret.fromString(token)));
        NamedCluster testbed = new NamedCluster("testbed", cluster.adminConnection().serverUrl());
        testbed.setCaCertificate(cluster.adminConnection().caCertificatePem());
        testbed.setCredentialsId("testbed-token");
        testbed.setNamespace(cluster.namespace());
        ProgressiveDeliveryConfiguration.get().setClusters(List.of(testbed));

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j,
                "node { k8sDeploy cluster: 'testbed', manifests: '" + manifest + "' }", Result.SUCCESS);

        j.assertLogContains("Connected to " + cluster.adminConnection().serverUrl(), run);
        j.assertLogContains("Deployment/web rolled out: 2 of 2 replicas updated and available.", run);
        j.assertLogNotContains(token, run);
        assertFalse(K8sDeployStepJenkinsTest.buildDirectoryContains(run.getRootDir().toPath(), token),
                "the token is in a file of the build");
        assertEquals(2, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get()
                .getStatus().getAvailableReplicas(), "deployed to the named cluster's namespace");
    }

    @Test
    void pinNamespacePinsToTheNamedClustersNamespace(JenkinsRule j, TestCluster cluster) throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        Path elsewhere = dir.resolve("elsewhere.yaml");
        Files.writeString(elsewhere, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: kube-system}\n");
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-token", "", Secret.fromString(cluster.adminConnection()
                        .bearerToken())));
        NamedCluster testbed = new NamedCluster("testbed", cluster.adminConnection().serverUrl());
        testbed.setCaCertificate(cluster.adminConnection().caCertificatePem());
        testbed.setCredentialsId("testbed-token");
        testbed.setNamespace(cluster.namespace());
        ProgressiveDeliveryConfiguration.get().setClusters(List.of(testbed));

        K8sDeployStepJenkinsTest.runPipeline(j, "node { k8sDeploy cluster: 'testbed', pinNamespace: true,"
                + " manifests: '" + manifest + "' }", Result.SUCCESS);
        assertEquals(2, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get()
                .getStatus().getAvailableReplicas(), "pinned to the named cluster's namespace");

        WorkflowJob other = j.createProject(WorkflowJob.class, "elsewhere");
        other.setDefinition(new CpsFlowDefinition("node { k8sDeploy cluster: 'testbed', pinNamespace: true,"
                + " manifests: '" + elsewhere + "' }", true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, other);
        j.assertLogContains("kube-system", refused);
        j.assertLogContains(cluster.namespace(), refused);
        assertEquals(null, cluster.admin().configMaps().inNamespace("kube-system").withName("c").get(),
                "nothing applied outside the pinned namespace");
    }
}
