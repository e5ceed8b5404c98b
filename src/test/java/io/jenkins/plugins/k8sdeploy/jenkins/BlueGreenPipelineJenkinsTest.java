package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Blue-green from a Jenkinsfile and from a freestyle job against the local control plane: k8sDeploy deploys the new
 * colour as preview (or switches at once with autoSwitch), blueGreenSwitch switches over, waits for the scale-down or
 * not, and switches back.
 */
@JenkinsTest
@RequiresCluster
class BlueGreenPipelineJenkinsTest {
    static final String COLOUR = "k8s-progressive-delivery.jenkins.io/colour";

    @TempDir
    Path dir;

    /** The app: a Deployment and its Service, both named web. */
    Path manifest(TestCluster cluster) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "kc", "", "kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", "") + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                """);
        return manifest;
    }

    int replicas(TestCluster cluster, String deployment) {
        return cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName(deployment).get()
                .getSpec().getReplicas();
    }

    String active(TestCluster cluster) {
        return cluster.admin().services().inNamespace(cluster.namespace()).withName("web").get().getSpec()
                .getSelector().get(COLOUR);
    }

    @Test
    void aPipelineDeploysAPreviewSwitchesToItAndBack(JenkinsRule j, TestCluster cluster) throws Exception {
        Path manifest = manifest(cluster);
        String script = "def k = [manifests: '" + manifest + "', credentialsId: 'kc', namespace: '"
                + cluster.namespace() + "', strategy: 'blueGreen']\n"
                + "def c = [app: 'web', credentialsId: 'kc', namespace: '" + cluster.namespace() + "']\n" + """
                node {
                  def first = k8sDeploy(k + [images: 'web=registry.example/web:1'])
                  echo "first: ${first.outcome} ${first.strategy} ${first.app}"
                  def preview = k8sDeploy(k + [images: 'web=registry.example/web:2'])
                  echo "preview: ${preview.outcome} ${preview.workloads[0].message}"
                  def sw = blueGreenSwitch(c + [scaleDownDelay: '1s'])
                  echo "switch: ${sw.outcome} scaledDown=${sw.events*.type.contains('SCALE_DOWN')}"
                  k8sDeploy(k + [images: 'web=registry.example/web:3'])
                  blueGreenSwitch(c + [scaleDownDelay: '10m', waitForScaleDown: false])
                  def back = blueGreenSwitch(c + [rollback: true, waitForScaleDown: false])
                  echo "back: ${back.outcome} ${back.events*.type.contains('SWITCH_BACK')}"
                }
                """;

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, script, Result.SUCCESS);

        j.assertLogContains("first: SUCCEEDED blueGreen web", run);
        j.assertLogContains("Preview ready: Service web-preview selects green", run);
        j.assertLogContains("preview: SUCCEEDED green ready as preview", run);
        j.assertLogContains("Switched Service web from blue to green: one selector change", run);
        j.assertLogContains("Scaled blue (Deployment/web-blue) from 2 to 0 replicas", run);
        j.assertLogContains("switch: SUCCEEDED scaledDown=true", run);
        j.assertLogContains("Switched Service web from green to blue: one selector change", run);
        j.assertLogContains("Switched back Service web from blue to green: one selector change", run);
        j.assertLogContains("back: SUCCEEDED true", run);
        j.assertLogNotContains("\tat ", run);
        assertEquals("green", active(cluster));
        assertEquals(2, replicas(cluster, "web-blue"), "within the delay the colour left keeps its pods");
    }

    @Test
    void aFreestyleJobSwitchesAtOnceWithAutoSwitchAndBackWithTheBuilder(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path manifest = manifest(cluster);
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder deploy = new K8sDeployBuilder(new K8sDeployStep(manifest.toString()));
        deploy.getStep().setCredentialsId("kc");
        deploy.getStep().setNamespace(cluster.namespace());
        deploy.getStep().setStrategy("blueGreen");
        project.getBuildersList().add(deploy);
        j.buildAndAssertStatus(Result.SUCCESS, project);
        deploy.getStep().setImages("web=registry.example/web:2");
        deploy.getStep().setAutoSwitch(true);
        deploy.getStep().setScaleDownDelay("10m");

        FreeStyleBuild switched = j.buildAndAssertStatus(Result.SUCCESS, project);

        j.assertLogContains("Switched Service web from blue to green: one selector change", switched);
        assertEquals("green", active(cluster));
        assertEquals(2, replicas(cluster, "web-blue"));

        BlueGreenSwitchBuilder back = new BlueGreenSwitchBuilder(new BlueGreenSwitchStep("web"));
        back.getStep().setCredentialsId("kc");
        back.getStep().setNamespace(cluster.namespace());
        back.getStep().setRollback(true);
        back.getStep().setWaitForScaleDown(false);
        FreeStyleProject undo = j.createFreeStyleProject("undo");
        undo.getBuildersList().add(back);

        FreeStyleBuild undone = j.buildAndAssertStatus(Result.SUCCESS, undo);

        j.assertLogContains("Switched back Service web from green to blue: one selector change", undone);
        assertEquals("blue", active(cluster));
    }

    @Test
    void switchingWithNothingNewToSwitchToFailsAndChangesNothing(JenkinsRule j, TestCluster cluster)
            throws Exception {
        Path manifest = manifest(cluster);
        String script = "node {\n  k8sDeploy manifests: '" + manifest + "', credentialsId: 'kc', namespace: '"
                + cluster.namespace() + "', strategy: 'blueGreen'\n  blueGreenSwitch app: 'web', credentialsId: 'kc',"
                + " namespace: '" + cluster.namespace() + "'\n}";

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, script, Result.FAILURE);

        j.assertLogContains("There is no green colour to switch to: Deployment/web-green does not exist in "
                + cluster.namespace() + ". Nothing was changed; blue still serves.", run);
        j.assertLogNotContains("\tat ", run);
        assertEquals("blue", active(cluster));
    }
}
