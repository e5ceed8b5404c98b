package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.k8sdeploy.testbed.MetricsServer;
import io.jenkins.plugins.k8sdeploy.testbed.PrometheusFixture;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart in the middle of a canary's analysis: the step keeps only what the analyses are made from, makes
 * them again with the credential looked up again, and the running analysis carries on to its verdict. When the
 * credential is gone after the restart, the analysis cannot measure and the canary is aborted with the reason.
 * (Session-based: not {@link JenkinsTest}, same tag and name rule.)
 */
@Tag("jenkins")
@RequiresCluster
class CanaryAnalysisRestartJenkinsTest {
    static final String TOKEN = "prom-bearer-r3start-91c2";

    static MetricsServer metrics;
    static PrometheusFixture prometheus;

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @TempDir
    Path dir;

    @BeforeAll
    static void startPrometheus() throws Exception {
        metrics = new MetricsServer().set("healthy", 0.01, 0.1);
        prometheus = PrometheusFixture.start(metrics.target());
        prometheus.awaitScrapes(3);
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    /** The provider in the global configuration; an analysis of ten measurements two seconds apart. */
    static String global() {
        return """
                providers:
                  prom: {type: prometheus, address: "%s", credentialsId: prom-token, timeout: 2s}
                analyses:
                  error-rate:
                    metrics:
                    - name: errors
                      provider: prom
                      query: 'app_error_ratio{track="healthy"}'
                      successCondition: result < 0.05
                      interval: 2s
                      count: 10
                """.formatted(prometheus.url());
    }

    /** Deploys v1 (straight to full), then v2 as a canary whose plan runs the analysis; saved before the restart. */
    void job(JenkinsRule j, TestCluster cluster) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "kc", "", "kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "prom-token", "", Secret.fromString(TOKEN)));
        SystemCredentialsProvider.getInstance().save();
        ProgressiveDeliveryConfiguration.get().setAnalysisYaml(global());
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        String k = "manifests: '" + manifest + "', credentialsId: 'kc', namespace: '" + cluster.namespace()
                + "', strategy: 'canary'";
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  k8sDeploy " + k + ", images: 'web=registry.example/web:1'\n"
                + "  def r = k8sDeploy " + k + ", images: 'web=registry.example/web:2',"
                + " plan: '50%, analysis error-rate, 100%'\n"
                + "  echo \"outcome=${r.outcome}\"\n"
                + "}", true));
    }

    String image(TestCluster cluster, String deployment) {
        var d = cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName(deployment).get();
        return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    WorkflowRun startAndWaitForTheAnalysis(JenkinsRule j, TestCluster cluster) throws Exception {
        job(j, cluster);
        WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).scheduleBuild2(0).waitForStart();
        j.waitForMessage("Analysis 'error-rate' started.", b);
        return b;
    }

    @Test
    void theRunningAnalysisCarriesOnAfterARestartAndThePromotionFollows(TestCluster cluster) throws Throwable {
        sessions.then(j -> startAndWaitForTheAnalysis(j, cluster));
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
            j.assertLogContains("Analysis 'error-rate' passed", b);
            j.assertLogContains("outcome=SUCCEEDED", b);
            j.assertLogNotContains("could not be made again", b);
            j.assertLogNotContains(TOKEN, b);
            assertFalse(K8sDeployStepJenkinsTest.buildDirectoryContains(b.getRootDir().toPath(), TOKEN),
                    "the provider's token is in a file of the build");
            assertEquals("registry.example/web:2", image(cluster, "web"));
            assertNull(image(cluster, "web-canary"));
        });
    }

    @Test
    void aCredentialGoneAfterTheRestartAbortsTheCanaryWithTheReason(TestCluster cluster) throws Throwable {
        sessions.then(j -> {
            startAndWaitForTheAnalysis(j, cluster);
            SystemCredentialsProvider.getInstance().getCredentials().removeIf(c -> c
                    instanceof StringCredentialsImpl);
            SystemCredentialsProvider.getInstance().save();
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
            j.assertLogContains("After the restart, the analyses of this canary could not be made again: Could not find"
                    + " credentials 'prom-token' (the credentialsId of metric provider 'prom') for this build.", b);
            j.assertLogContains("Analysis 'error-rate' could not measure: Could not find credentials 'prom-token'", b);
            j.assertLogContains("Aborting the canary of web", b);
            j.assertLogNotContains("\tat ", b);
            assertEquals("registry.example/web:1", image(cluster, "web"));
            assertNull(image(cluster, "web-canary"));
        });
    }
}
