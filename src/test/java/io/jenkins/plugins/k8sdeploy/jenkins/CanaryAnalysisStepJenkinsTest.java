package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import hudson.util.Secret;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * A canary's analyses are made, with their credentials, before anything reaches the cluster: a provider credential of
 * the wrong kind, a missing one, a missing analysis file or an unknown analysis fail the step with the reason alone.
 * No cluster is needed (the API server named here is never contacted).
 */
@JenkinsTest
class CanaryAnalysisStepJenkinsTest {
    static final String PROVIDER = """
            providers:
              prom: {type: prometheus, address: "http://127.0.0.1:9", credentialsId: %s}
            """;

    /** A canary of k8s/ to a server that is never reached, with {@code extra} step parameters. */
    static String canary(String extra) {
        return "node { k8sDeploy manifests: 'k8s/', credentialsId: 'cluster-token', serverUrl:"
                + " 'https://k8s.invalid:6443', strategy: 'canary', plan: '50%, analysis error-rate, 100%'" + extra
                + " }";
    }

    static void clusterToken() {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "cluster-token", "", Secret.fromString("cluster-secret")));
    }

    @Test
    void aProviderCredentialOfAnotherKindFailsTheCanaryBeforeAnythingIsApplied(JenkinsRule j) throws Exception {
        clusterToken();
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL,
                "prom-file", "", "token.txt", SecretBytes.fromRawBytes("file-secret".getBytes(StandardCharsets.UTF_8))));
        ProgressiveDeliveryConfiguration.get().setAnalysisYaml(PROVIDER.formatted("prom-file"));

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, canary(", analysisYaml: '''"
                + AnalysisSourcesTest.analysis("error-rate", "prom", "up") + "'''"), Result.FAILURE);

        j.assertLogContains("Credentials 'prom-file' (the credentialsId of metric provider 'prom') are of the kind"
                + " 'Secret file'. Expected Secret text (a bearer token) or Username with password (basic"
                + " authentication).", run);
        j.assertLogNotContains("Connected to", run);
        j.assertLogNotContains("\tat ", run);
        j.assertLogNotContains("file-secret", run);
    }

    @Test
    void aMissingProviderCredentialIsNamedWithItsProvider(JenkinsRule j) throws Exception {
        clusterToken();
        ProgressiveDeliveryConfiguration.get().setAllowJobProviders(true); // the provider is the step's own

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, canary(", analysisYaml: '''"
                + PROVIDER.formatted("prom-token") + AnalysisSourcesTest.analysis("error-rate", "prom", "up") + "'''"),
                Result.FAILURE);

        j.assertLogContains("Could not find credentials 'prom-token' (the credentialsId of metric provider 'prom') for"
                + " this build.", run);
        j.assertLogNotContains("\tat ", run);
    }

    /**
     * By default a Pipeline cannot tell the controller where to send a metric query, or which credential to send:
     * a provider in analysisYaml fails the step before anything is applied or any credential looked up.
     */
    @Test
    void aStepsOwnProviderIsRefusedUnlessAnAdministratorAllowsIt(JenkinsRule j) throws Exception {
        clusterToken();
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "prom-token", "", Secret.fromString("prom-secret")));

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, canary(", analysisYaml: '''"
                + PROVIDER.formatted("prom-token") + AnalysisSourcesTest.analysis("error-rate", "prom", "up") + "'''"),
                Result.FAILURE);

        j.assertLogContains("analysisYaml defines metric providers (prom): only the global configuration", run);
        j.assertLogNotContains("Connected to", run);
        j.assertLogNotContains("\tat ", run);
        assertFalse(ProgressiveDeliveryConfiguration.get().isAllowJobProviders(), "off unless an administrator allows");
    }

    @Test
    void aMissingAnalysisFileOrAnalysisIsAClearError(JenkinsRule j) throws Exception {
        clusterToken();

        WorkflowRun noFile = K8sDeployStepJenkinsTest.runPipeline(j, canary(", analysis: 'k8s/analysis.yaml'"),
                Result.FAILURE);
        WorkflowRun noAnalysis = j.buildAndAssertStatus(Result.FAILURE,
                CanaryPipelineJenkinsTest.job(j, "none", canary("")));

        j.assertLogContains("The analysis file 'k8s/analysis.yaml' is not in the workspace ", noFile);
        j.assertLogContains("The canary plan runs analysis 'error-rate', but no analysis of that name is configured"
                + " (configured: none).", noAnalysis);
        j.assertLogNotContains("\tat ", noFile);
        j.assertLogNotContains("\tat ", noAnalysis);
    }

    @Test
    void analysesWithAnotherStrategyFailTheStep(JenkinsRule j) throws Exception {
        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, "node { k8sDeploy manifests: 'k8s/', credentialsId:"
                + " 'cluster-token', analysisYaml: 'analyses: {}' }", Result.FAILURE);

        j.assertLogContains("Not used by strategy rolling: analysisYaml (canary). Remove them, or set strategy to the"
                + " one they belong to.", run);
    }
}
