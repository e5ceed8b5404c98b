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
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Canaries from a Jenkinsfile whose plans run analyses against a real Prometheus (Debian's, scraping a metrics endpoint
 * whose error rates each test chooses, one track per test): the provider comes from the global configuration with a
 * Secret text credential, the analysis from the workspace file or the step. A healthy canary is promoted, a failing
 * one aborted; the token never reaches the log or the build's files.
 */
@JenkinsTest
@RequiresCluster
class CanaryAnalysisPipelineJenkinsTest {
    static final String TOKEN = "prom-bearer-5ecret-4d1f";

    static MetricsServer metrics;
    static PrometheusFixture prometheus;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPrometheus() throws Exception {
        metrics = new MetricsServer().set("healthy", 0.01, 0.1).set("failing", 0.5, 0.1);
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

    /** The global provider (with its token) and an analysis of the same name that the steps redefine. */
    static String global() {
        return """
                providers:
                  prom: {type: prometheus, address: "%s", credentialsId: prom-token, timeout: 2s}
                analyses:
                  error-rate:
                    metrics:
                    - name: errors
                      provider: prom
                      query: 'app_error_ratio{track="nobody"}'
                      successCondition: result < 0.05
                """.formatted(prometheus.url());
    }

    /** An analysis of the error rate of one track: three measurements a second apart. */
    static String errorRate(String track) {
        return """
                analyses:
                  error-rate:
                    metrics:
                    - name: errors
                      provider: prom
                      query: 'app_error_ratio{track="%s"}'
                      successCondition: result < 0.05
                      interval: 1s
                      count: 3
                """.formatted(track);
    }

    /** Credentials, the manifest and the global configuration; returns the k8sDeploy parameters as Groovy. */
    String setUp(TestCluster cluster) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "kc", "", "kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "prom-token", "", Secret.fromString(TOKEN)));
        ProgressiveDeliveryConfiguration.get().setAnalysisYaml(global());
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        return "def k = [manifests: '" + manifest + "', credentialsId: 'kc', namespace: '" + cluster.namespace()
                + "', strategy: 'canary', timeout: '2m']\n";
    }

    String image(TestCluster cluster, String deployment) {
        var d = cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName(deployment).get();
        return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    void assertNoToken(JenkinsRule j, WorkflowRun run) throws Exception {
        j.assertLogNotContains(TOKEN, run);
        assertFalse(K8sDeployStepJenkinsTest.buildDirectoryContains(run.getRootDir().toPath(), TOKEN),
                "the provider's token is in a file of the build");
    }

    @Test
    void aHealthyCanaryPassesTheAnalysisOfItsWorkspaceFileAndIsPromoted(JenkinsRule j, TestCluster cluster)
            throws Exception {
        String script = setUp(cluster) + "node {\n"
                + "  writeFile file: 'k8s/analysis.yaml', text: '''" + errorRate("healthy") + "'''\n"
                + "  k8sDeploy(k + [images: 'web=registry.example/web:1'])\n"
                + "  def r = k8sDeploy(k + [images: 'web=registry.example/web:2', analysis: 'k8s/analysis.yaml',"
                + " plan: '50%, analysis error-rate, 100%'])\n"
                + "  echo \"canary: ${r.outcome} ${r.events*.type}\"\n"
                + "}\n";

        WorkflowRun run = j.buildAndAssertStatus(Result.SUCCESS, CanaryPipelineJenkinsTest.job(j, "p", script));

        j.assertLogContains("Analysis 'error-rate' started.", run);
        j.assertLogContains("Analysis 'error-rate' passed", run);
        j.assertLogContains("canary: SUCCEEDED", run);
        j.assertLogNotContains("\tat ", run);
        assertNoToken(j, run);
        assertEquals("registry.example/web:2", image(cluster, "web"));
        assertNull(image(cluster, "web-canary"));
    }

    @Test
    void aFailingAnalysisAbortsTheCanaryAndFailsTheBuildWithTheReason(JenkinsRule j, TestCluster cluster)
            throws Exception {
        String script = setUp(cluster) + "node {\n"
                + "  k8sDeploy(k + [images: 'web=registry.example/web:1'])\n"
                + "  k8sDeploy(k + [images: 'web=registry.example/web:2', plan: '50%, analysis error-rate, 100%',"
                + " analysisYaml: '''" + errorRate("failing") + "'''])\n"
                + "}\n";

        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, CanaryPipelineJenkinsTest.job(j, "p", script));

        j.assertLogContains("Analysis 'error-rate' failed", run);
        j.assertLogContains("Aborting the canary of web", run);
        j.assertLogNotContains("\tat ", run);
        assertNoToken(j, run);
        assertEquals("registry.example/web:1", image(cluster, "web"));
        assertNull(image(cluster, "web-canary"));
    }
}
