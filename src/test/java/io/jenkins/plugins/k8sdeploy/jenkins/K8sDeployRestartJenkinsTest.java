package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * k8sDeploy waits on a timer, so a controller restart in the middle of a rollout resumes the wait from the cluster's
 * state; stopping a build mid-rollout rolls back. (Session-based: not {@link JenkinsTest}, same tag and name rule.)
 */
@Tag("jenkins")
@RequiresCluster
class K8sDeployRestartJenkinsTest {
    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @TempDir
    Path dir;

    static String deployment(String image, String readyAfter, String extraLabels) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata:
                      annotations: {k8spd.test/ready-after: "%s"}
                      labels: {app: web%s}
                    spec: {containers: [{name: web, image: "%s"}]}
                """.formatted(readyAfter, extraLabels, image);
    }

    void job(org.jvnet.hudson.test.JenkinsRule j, TestCluster cluster, Path manifest) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "kc", "", "kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        SystemCredentialsProvider.getInstance().save(); // the resumed build looks the credential up after the restart
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node { def r = k8sDeploy manifests: '" + manifest
                + "', credentialsId: 'kc', namespace: '" + cluster.namespace() + "'\necho \"outcome=${r.outcome}\" }",
                true));
    }

    @Test
    void aRestartDuringTheRolloutResumesTheWaitAndFinishes(TestCluster cluster) throws Throwable {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, deployment("registry.example/web:1", "20s", ""));
        sessions.then(j -> {
            job(j, cluster, manifest);
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).scheduleBuild2(0).waitForStart();
            j.waitForMessage("Waiting for Deployment/web", b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
            j.assertLogContains("Deployment/web rolled out: 2 of 2 replicas updated and available.", b);
            j.assertLogContains("outcome=SUCCEEDED", b);
        });
    }

    @Test
    void stoppingTheBuildDuringTheRolloutRollsBack(TestCluster cluster) throws Throwable {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, deployment("registry.example/web:1", "0s", ""));
        sessions.then(j -> {
            job(j, cluster, manifest);
            WorkflowJob p = j.jenkins.getItemByFullName("p", WorkflowJob.class);
            j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(p.scheduleBuild2(0).waitForStart()));
            Files.writeString(manifest, deployment("registry.example/web:2", "0s",
                    ", k8spd.test/behaviour: never-ready"));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("Waiting for Deployment/web", b);

            b.doStop();

            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
            j.assertLogContains("The build was stopped during the rollout; rolling back.", b);
            j.assertLogContains("Rolling back: Deployment/web rolled back from revision 2 to 1", b);
            assertEquals("registry.example/web:1", cluster.admin().apps().deployments()
                    .inNamespace(cluster.namespace()).withName("web").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        });
    }
}
