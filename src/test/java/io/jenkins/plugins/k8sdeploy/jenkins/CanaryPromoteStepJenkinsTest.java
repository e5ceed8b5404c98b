package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.model.Result;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The Snippet Generator and job configuration of canaryPromote, blueGreenSwitch and k8sDeploy's strategy fields (the
 * forms, the help, the drop-downs, the data binding), and the messages of bad parameters. No cluster needed: every
 * failure here happens before credentials are looked up.
 */
@JenkinsTest
class CanaryPromoteStepJenkinsTest {

    @Test
    void canaryPromoteSurvivesAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        CanaryPromoteStep step = new CanaryPromoteStep("web");
        step.setNamespace("shop");
        step.setWeight("40");
        step.setTimeout("2m");
        step.setCredentialsId("prod-kubeconfig");
        step.setServerUrl("https://k8s.example.com:6443");
        step.setCaCertificate(KubeconfigFixtures.FAKE_CA);
        step.setContext("prod");

        CanaryPromoteStep back = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, back);
    }

    @Test
    void canaryPromoteAbortAndFullSurviveAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        CanaryPromoteStep abort = new CanaryPromoteStep("web");
        abort.setAbort(true);
        CanaryPromoteStep full = new CanaryPromoteStep("web");
        full.setFull(true);

        j.assertEqualDataBoundBeans(abort, new StepConfigTester(j).configRoundTrip(abort));
        j.assertEqualDataBoundBeans(full, new StepConfigTester(j).configRoundTrip(full));
    }

    @Test
    void anEmptyWeightStaysEmptyAfterARoundTrip(JenkinsRule j) throws Exception {
        CanaryPromoteStep promote = new CanaryPromoteStep("web");

        CanaryPromoteStep back = new StepConfigTester(j).configRoundTrip(promote);

        j.assertEqualDataBoundBeans(promote, back);
        assertNull(back.getWeight(), "an empty weight promotes; it must not become 0");
    }

    @Test
    void blueGreenSwitchSurvivesAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        BlueGreenSwitchStep step = new BlueGreenSwitchStep("web");
        step.setNamespace("shop");
        step.setActiveService("web-live");
        step.setPreviewService("web-next");
        step.setRollback(true);
        step.setScaleDownDelay("5m");
        step.setWaitForScaleDown(false);
        step.setTimeout("3m");
        step.setCredentialsId("prod-kubeconfig");
        step.setContext("prod");

        BlueGreenSwitchStep back = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, back);
    }

    @Test
    void blueGreenSwitchWaitsForTheScaleDownByDefaultAfterARoundTrip(JenkinsRule j) throws Exception {
        BlueGreenSwitchStep step = new BlueGreenSwitchStep("web");

        BlueGreenSwitchStep back = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, back);
        assertTrue(back.isWaitForScaleDown());
    }

    @Test
    void k8sDeployCanaryFieldsSurviveAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        K8sDeployStep step = new K8sDeployStep("k8s/*.yaml");
        step.setCredentialsId("prod-kubeconfig");
        step.setTimeout("5m");
        step.setStrategy("canary");
        step.setApp("web");
        step.setPlan("20%, pause 2m, 50%, approval, 100%");
        step.setRouter("istio");
        step.setRouterName("web-vs");
        step.setRoutes("primary");
        step.setStableService("web");
        step.setCanaryService("web-canary");
        step.setStableSubset("stable");
        step.setCanarySubset("canary");
        step.setDestinationRule("web-dr");

        K8sDeployStep back = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, back);
    }

    @Test
    void k8sDeployBlueGreenFieldsSurviveAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        K8sDeployStep step = new K8sDeployStep("k8s/*.yaml");
        step.setCredentialsId("prod-kubeconfig");
        step.setTimeout("5m");
        step.setStrategy("blueGreen");
        step.setApp("web");
        step.setActiveService("web-live");
        step.setPreviewService("web-next");
        step.setAutoSwitch(true);
        step.setScaleDownDelay("90s");

        K8sDeployStep back = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, back);
    }

    @Test
    void theFreestyleBuildersSurviveAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder deploy = new K8sDeployBuilder(new K8sDeployStep("k8s/*.yaml"));
        deploy.getStep().setCredentialsId("prod-kubeconfig");
        deploy.getStep().setTimeout("5m");
        deploy.getStep().setStrategy("canary");
        deploy.getStep().setApp("web");
        deploy.getStep().setPlan("50%, pause 1m, 100%");
        deploy.getStep().setRouter("nginx");
        deploy.getStep().setRouterName("web");
        CanaryPromoteBuilder promote = new CanaryPromoteBuilder(new CanaryPromoteStep("web"));
        promote.getStep().setNamespace("shop");
        promote.getStep().setCredentialsId("prod-kubeconfig");
        promote.getStep().setAbort(true);
        BlueGreenSwitchBuilder switchOver = new BlueGreenSwitchBuilder(new BlueGreenSwitchStep("api"));
        switchOver.getStep().setNamespace("shop");
        switchOver.getStep().setCredentialsId("prod-kubeconfig");
        switchOver.getStep().setScaleDownDelay("1m");
        switchOver.getStep().setWaitForScaleDown(false);
        project.getBuildersList().add(deploy);
        project.getBuildersList().add(promote);
        project.getBuildersList().add(switchOver);

        project = j.configRoundtrip(project);

        j.assertEqualDataBoundBeans(deploy, project.getBuildersList().get(K8sDeployBuilder.class));
        j.assertEqualDataBoundBeans(promote, project.getBuildersList().get(CanaryPromoteBuilder.class));
        j.assertEqualDataBoundBeans(switchOver, project.getBuildersList().get(BlueGreenSwitchBuilder.class));
    }

    @Test
    void canaryPromoteWithTwoActionsFailsWithAMessageAndNoStackTrace(JenkinsRule j) throws Exception {
        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j,
                "canaryPromote app: 'web', weight: '50', abort: true, credentialsId: 'kc'", Result.FAILURE);

        j.assertLogContains("canaryPromote does one thing at a time, but was given weight and abort. Expected at most"
                + " one of weight, full and abort (none: promote past the current pause or approval).", run);
        j.assertLogNotContains("\tat ", run);
    }

    @Test
    void aSettingOfAnotherStrategyFailsTheDeployBeforeAnythingHappens(JenkinsRule j) throws Exception {
        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, "node { k8sDeploy manifests: 'k8s/*.yaml',"
                + " credentialsId: 'kc', strategy: 'blueGreen', plan: '20%, 100%' }", Result.FAILURE);

        j.assertLogContains("Not used by strategy blueGreen: plan (canary). Remove them, or set strategy to the one"
                + " they belong to.", run);
        j.assertLogNotContains("\tat ", run);
    }

    @Test
    void anUnknownStrategyFailsWithTheStrategiesThereAre(JenkinsRule j) throws Exception {
        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j, "node { k8sDeploy manifests: 'k8s/*.yaml',"
                + " credentialsId: 'kc', strategy: 'linear' }", Result.FAILURE);

        j.assertLogContains("'linear' is not a strategy. Expected rolling (the default), canary or blueGreen.", run);
        j.assertLogNotContains("\tat ", run);
    }

    @Test
    void blueGreenSwitchWithABadDelayFailsWithAMessage(JenkinsRule j) throws Exception {
        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j,
                "blueGreenSwitch app: 'web', scaleDownDelay: 'a while', credentialsId: 'kc'", Result.FAILURE);

        j.assertLogContains("'a while' is not a duration. Expected a number with s, m or h, such as 90s, 10m or 1h.",
                run);
        j.assertLogNotContains("\tat ", run);
    }
}
