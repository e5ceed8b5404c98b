package io.jenkins.plugins.k8sdeploy.jenkins;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

@JenkinsTest
class K8sDeployStepJenkinsTest {

    @Test
    void everyFieldSurvivesAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        K8sDeployStep step = new K8sDeployStep("k8s/*.yaml\nextra.yaml");
        step.setCredentialsId("prod-token");
        step.setServerUrl("https://k8s.example.com:6443");
        step.setCaCertificate(KubeconfigFixtures.FAKE_CA);
        step.setContext("prod");
        step.setNamespace("shop");
        step.setPinNamespace(true);
        step.setAllowClusterScoped("CustomResourceDefinition, ClusterRole");
        step.setYaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
        step.setImages("web=registry.example/web:1.4.2");
        step.setSubstitute(true);
        step.setVariables("TAG=1.4.2");
        step.setTimeout("5m");
        step.setRollback(false);
        step.setDryRun(true);

        K8sDeployStep back = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, back);
    }

    @Test
    void missingCredentialsFailTheBuildWithAMessageAndNoStackTrace(JenkinsRule j)
            throws Exception {
        WorkflowRun run = runPipeline(j, "node { k8sDeploy manifests: 'k8s/*.yaml', credentialsId: 'nope' }",
                Result.FAILURE);

        j.assertLogContains("Could not find credentials 'nope' for this build. Expected a credential with that id,"
                + " visible to this job: Secret text (a bearer token), Secret file (a kubeconfig), Username with"
                + " password, or Certificate.", run);
        j.assertLogNotContains("\tat ", run);
    }

    @Test
    void credentialsWithoutAServerNeedServerUrl(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "userpass", "", "bob", "password-of-bob"));

        WorkflowRun run = runPipeline(j, "node { k8sDeploy manifests: 'a.yaml', credentialsId: 'userpass' }",
                Result.FAILURE);

        j.assertLogContains("Credentials 'userpass' do not say where the cluster is (only a kubeconfig does)."
                + " Expected serverUrl too, such as https://k8s.example.com:6443.", run);
        j.assertLogNotContains("password-of-bob", run);
    }

    @Test
    void k8sRollbackSurvivesAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        K8sRollbackStep step = new K8sRollbackStep("deployment/web");
        step.setNamespace("shop");
        step.setToRevision(3);
        step.setTimeout("2m");
        step.setCredentialsId("prod-kubeconfig");
        step.setContext("prod");

        K8sRollbackStep back = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, back);
    }

    static WorkflowRun runPipeline(JenkinsRule j, String body, Result expected) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "p");
        job.setDefinition(new CpsFlowDefinition(body, true));
        return j.buildAndAssertStatus(expected, job);
    }

    static boolean buildDirectoryContains(Path dir, String secret) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
