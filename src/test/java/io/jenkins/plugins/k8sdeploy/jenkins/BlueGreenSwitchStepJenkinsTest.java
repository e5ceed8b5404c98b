package io.jenkins.plugins.k8sdeploy.jenkins;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

/** blueGreenSwitch's mistakes that fail before the cluster is asked anything. */
@JenkinsTest
class BlueGreenSwitchStepJenkinsTest {

    @Test
    void anAnalysisFileOutsideANodeIsAClearErrorNotANullPointerException(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "token", "", Secret.fromString("not-a-real-token")));

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, "blueGreenSwitch app: 'web', namespace: 'shop',"
                + " credentialsId: 'token', serverUrl: 'https://k8s.example.com:6443', analysisName: 'errors',"
                + " analysis: 'k8s/analysis.yaml'", Result.FAILURE);

        j.assertLogContains("The analysis file 'k8s/analysis.yaml' is read from the workspace, and there is none"
                + " here. Expected the step inside node { ... }", run);
        j.assertLogNotContains("NullPointerException", run);
        j.assertLogNotContains("\tat ", run);
    }
}
