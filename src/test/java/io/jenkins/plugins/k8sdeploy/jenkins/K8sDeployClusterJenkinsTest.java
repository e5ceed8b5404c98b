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
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;

/** The step and the builder deploy to the local control plane with credentials from the Jenkins store. */
@JenkinsTest
@RequiresCluster
class K8sDeployClusterJenkinsTest {
    @TempDir
    Path dir;

    static String deployment(String image, String extraLabels) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web%s}}
                    spec: {containers: [{name: web, image: "%s"}]}
                """.formatted(extraLabels, image);
    }

    @Test
    void aPipelineDeploysWithATokenCredentialAndNeverLeaksTheToken(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, deployment("registry.example/web:1", ""));
        String token = cluster.adminConnection().bearerToken();
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-token", "", Secret.fromString(token)));
        String script = "node { k8sDeploy manifests: '" + manifest + "', credentialsId: 'testbed-token', serverUrl: '"
                + cluster.adminConnection().serverUrl() + "', caCertificate: '''"
                + cluster.adminConnection().caCertificatePem() + "''', namespace: '" + cluster.namespace() + "' }";

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, script, Result.SUCCESS);

        j.assertLogContains("Connected to " + cluster.adminConnection().serverUrl() + " (Kubernetes v1.33.13).", run);
        j.assertLogContains("Deployment/web rolled out: 2 of 2 replicas updated and available.", run);
        j.assertLogNotContains(token, run);
        assertFalse(K8sDeployStepJenkinsTest.buildDirectoryContains(run.getRootDir().toPath(), token),
                "the token is in a file of the build");
        assertEquals(2, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get()
                .getStatus().getAvailableReplicas());
    }

    @Test
    void aFreestyleJobDeploysWithAKubeconfigAndFailsWithTheReasonWhenTheRolloutFails(JenkinsRule j,
            TestCluster cluster) throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, deployment("registry.example/web:1", ""));
        byte[] kubeconfig = Files.readAllBytes(cluster.bed().adminKubeconfig());
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-kubeconfig", "", "admin.kubeconfig",
                SecretBytes.fromRawBytes(kubeconfig)));
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder builder = new K8sDeployBuilder(new K8sDeployStep(manifest.toString()));
        builder.getStep().setCredentialsId("testbed-kubeconfig");
        builder.getStep().setNamespace(cluster.namespace());
        project.getBuildersList().add(builder);
        j.buildAndAssertStatus(Result.SUCCESS, project);
        Files.writeString(manifest, deployment("registry.example/web:404", ", k8spd.test/behaviour: image-pull-error"));

        FreeStyleBuild build = j.buildAndAssertStatus(Result.FAILURE, project);

        j.assertLogContains("cannot start: ", build);
        j.assertLogContains("Rolling back: Deployment/web rolled back from revision 2 to 1", build);
        j.assertLogNotContains(cluster.adminConnection().bearerToken(), build);
        j.assertLogNotContains("\tat ", build);
    }

    @Test
    void aPinnedPipelineDeployRefusesAClusterScopedObjectUnlessItsKindIsAllowed(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + cluster.namespace()
                + "}\n---\n" + deployment("registry.example/web:1", ""));
        byte[] kubeconfig = Files.readAllBytes(cluster.bed().adminKubeconfig());
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-kubeconfig", "", "admin.kubeconfig",
                SecretBytes.fromRawBytes(kubeconfig)));
        String step = "k8sDeploy manifests: '" + manifest + "', credentialsId: 'testbed-kubeconfig', namespace: '"
                + cluster.namespace() + "', pinNamespace: true";

        WorkflowJob job = j.createProject(WorkflowJob.class, "pinned");
        job.setDefinition(new CpsFlowDefinition("node { " + step + " }", true));

        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, job);

        j.assertLogContains("Namespace/" + cluster.namespace() + " (", refused);
        j.assertLogContains(":1) is cluster-scoped, but this deploy is pinned to namespace '" + cluster.namespace()
                + "'. A pinned deploy applies only objects in that namespace unless the kind is allowed explicitly"
                + " (allowClusterScoped in Jenkins, --allow-cluster-scoped on the command line).", refused);
        j.assertLogNotContains("\tat ", refused);
        assertEquals(null, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web")
                .get(), "nothing is applied");

        job.setDefinition(new CpsFlowDefinition("node { " + step + ", allowClusterScoped: 'Namespace' }", true));
        WorkflowRun allowed = j.buildAndAssertStatus(Result.SUCCESS, job);

        j.assertLogContains("Deployment/web rolled out: 2 of 2 replicas updated and available.", allowed);
    }

    @Test
    void aKubeconfigSkippingTlsVerificationIsRefusedUntilAnAdministratorAllowsIt(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n");
        ClusterConnection admin = cluster.bed().admin();
        String kubeconfig = "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: testbed\n  cluster:"
                + "\n    server: " + admin.serverUrl() + "\n    insecure-skip-tls-verify: true\ncontexts:\n- name: t\n"
                + "  context: {cluster: testbed, user: admin}\nusers:\n- name: admin\n  user: {token: "
                + admin.bearerToken() + "}\n";
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "insecure-kubeconfig", "", "kubeconfig",
                SecretBytes.fromRawBytes(kubeconfig.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        WorkflowJob job = j.createProject(WorkflowJob.class, "insecure");
        job.setDefinition(new CpsFlowDefinition("node { k8sDeploy manifests: '" + manifest
                + "', credentialsId: 'insecure-kubeconfig', namespace: '" + cluster.namespace() + "' }", true));

        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, job);

        j.assertLogContains("Credentials 'insecure-kubeconfig' cannot be used: The kubeconfig's cluster 'testbed' sets"
                + " insecure-skip-tls-verify: true, so the certificate of " + admin.serverUrl() + " would not be"
                + " checked and anyone on the way could read and change what is sent, credentials included. Jenkins"
                + " refuses it unless an administrator allows it (Manage Jenkins > System > Progressive delivery).",
                refused);
        j.assertLogNotContains("\tat ", refused);
        assertEquals(null, cluster.admin().configMaps().inNamespace(cluster.namespace()).withName("c").get());

        ProgressiveDeliveryConfiguration.get().setAllowInsecureSkipTlsVerify(true);
        j.buildAndAssertStatus(Result.SUCCESS, job);

        assertEquals("b", cluster.admin().configMaps().inNamespace(cluster.namespace()).withName("c").get().getData()
                .get("a"));
    }

    @Test
    void aPipelineRefusesAnotherManagersFieldsUntilItSetsForceConflicts(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, deployment("registry.example/web:1", ""));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-token", "", Secret.fromString(cluster.adminConnection()
                        .bearerToken())));
        String step = "k8sDeploy manifests: '" + manifest + "', credentialsId: 'testbed-token', serverUrl: '"
                + cluster.adminConnection().serverUrl() + "', caCertificate: '''"
                + cluster.adminConnection().caCertificatePem() + "''', namespace: '" + cluster.namespace() + "'";
        WorkflowJob job = j.createProject(WorkflowJob.class, "p");
        job.setDefinition(new CpsFlowDefinition("node { " + step + " }", true));
        j.buildAndAssertStatus(Result.SUCCESS, job);
        cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").patch(
                new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("ops-script")
                        .withForce(true).build(),
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                        + "\"spec\":{\"replicas\":4}}");
        Files.writeString(manifest, deployment("registry.example/web:2", ""));

        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, job);
        job.setDefinition(new CpsFlowDefinition("node { " + step + ", forceConflicts: true }", true));
        WorkflowRun forced = j.buildAndAssertStatus(Result.SUCCESS, job);

        j.assertLogContains("has fields another field manager owns: .spec.replicas (field manager \"ops-script\")."
                + " Validated by a server-side dry run; nothing was applied. To take these fields over, deploy again"
                + " with forceConflicts: true (k8sDeploy)", refused);
        j.assertLogNotContains("\tat ", refused);
        j.assertLogContains("configured; takes over .spec.replicas (field manager \"ops-script\") (forceConflicts).",
                forced);
        assertEquals(2, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get()
                .getSpec().getReplicas());
    }
}
