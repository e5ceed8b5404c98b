package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.springframework.security.access.AccessDeniedException;

/**
 * The global analysis configuration survives the configuration page and a reload from disk, only administrators may
 * have it checked, and the steps' analysis fields survive their forms.
 */
@JenkinsTest
class ProgressiveDeliveryConfigurationJenkinsTest {

    @Test
    void theAnalysisYamlSurvivesTheConfigurationPageAndIsReadBackFromDisk(JenkinsRule j) throws Exception {
        assertNull(ProgressiveDeliveryConfiguration.get().getAnalysisYaml(), "nothing configured at first");
        ProgressiveDeliveryConfiguration.get().setAnalysisYaml(AnalysisSourcesTest.GLOBAL);

        j.configRoundtrip();

        assertEquals(AnalysisSourcesTest.GLOBAL, ProgressiveDeliveryConfiguration.get().getAnalysisYaml());
        assertEquals(AnalysisSourcesTest.GLOBAL, new ProgressiveDeliveryConfiguration().getAnalysisYaml(),
                "a fresh instance loads what the page saved");
    }

    /**
     * A form with one bad field is refused whole: the page names the field, and neither it nor any other field is
     * saved (the named clusters stay as they were, in memory and on disk).
     */
    @Test
    void aBadFormIsRefusedWholeWithTheFieldNamedAndNothingSaved(JenkinsRule j) throws Exception {
        ProgressiveDeliveryConfiguration c = ProgressiveDeliveryConfiguration.get();
        c.setAnalysisYaml(AnalysisSourcesTest.GLOBAL);
        c.setClusters(java.util.List.of(new NamedCluster("prod", "https://k8s.example.com:6443")));
        JenkinsRule.WebClient wc = j.createWebClient();
        wc.getOptions().setThrowExceptionOnFailingStatusCode(false);
        wc.getOptions().setPrintContentOnFailingStatusCode(false);
        HtmlForm form = wc.goTo("configure").getFormByName("config");
        form.getTextAreaByName("_.analysisYaml").setText("providers: [unclosed\n");
        form.getInputsByName("_.name").forEach(i -> i.setValue("second"));

        HtmlPage answer = j.submit(form);

        assertEquals(400, answer.getWebResponse().getStatusCode(), answer.asNormalizedText());
        assertTrue(answer.asNormalizedText().contains("Analysis YAML:"), answer.asNormalizedText());
        for (ProgressiveDeliveryConfiguration seen : java.util.List.of(c, new ProgressiveDeliveryConfiguration())) {
            assertEquals(AnalysisSourcesTest.GLOBAL, seen.getAnalysisYaml());
            assertEquals(java.util.List.of("prod"), seen.getClusters().stream().map(NamedCluster::getName).toList(),
                    "the clusters, though valid in the form, were not saved either");
        }
    }

    @Test
    void insecureSkipTlsVerifyIsOffUnlessAnAdministratorTicksItAndTheTickSurvivesThePage(JenkinsRule j)
            throws Exception {
        ProgressiveDeliveryConfiguration c = ProgressiveDeliveryConfiguration.get();
        assertFalse(c.isAllowInsecureSkipTlsVerify(), "off by default");
        c.setAllowInsecureSkipTlsVerify(true);

        j.configRoundtrip();

        assertTrue(ProgressiveDeliveryConfiguration.get().isAllowInsecureSkipTlsVerify());
        assertTrue(new ProgressiveDeliveryConfiguration().isAllowInsecureSkipTlsVerify(), "saved to disk");
        HtmlForm form = j.createWebClient().goTo("configure").getFormByName("config");
        form.getInputByName("_.allowInsecureSkipTlsVerify").setChecked(false);
        j.submit(form);
        assertFalse(ProgressiveDeliveryConfiguration.get().isAllowInsecureSkipTlsVerify(), "unticking sticks");
    }

    @Test
    void blankMeansNoneAndWindowsLineEndsAreNormalised(JenkinsRule j) {
        ProgressiveDeliveryConfiguration c = ProgressiveDeliveryConfiguration.get();

        c.setAnalysisYaml("providers:\r\n  prom: {type: http}\r\n");
        assertEquals("providers:\n  prom: {type: http}\n", c.getAnalysisYaml());
        c.setAnalysisYaml(" \n ");
        assertNull(c.getAnalysisYaml());
    }

    @Test
    void onlyAdministratorsMayHaveTheConfigurationChecked(JenkinsRule j) {
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.READ).everywhere()
                .toEveryone());
        ProgressiveDeliveryConfiguration c = ProgressiveDeliveryConfiguration.get();
        String undefinedProvider = AnalysisSourcesTest.analysis("latency", "thanos", "q");

        ACLContext reader = ACL.as2(Jenkins.ANONYMOUS2);
        try {
            assertThrows(AccessDeniedException.class, () -> c.doCheckAnalysisYaml(AnalysisSourcesTest.GLOBAL));
        } finally {
            reader.close();
        }
        ACLContext admin = ACL.as2(ACL.SYSTEM2);
        try {
            assertEquals(FormValidation.Kind.OK, c.doCheckAnalysisYaml(AnalysisSourcesTest.GLOBAL).kind);
            FormValidation bad = c.doCheckAnalysisYaml(undefinedProvider);
            assertEquals(FormValidation.Kind.ERROR, bad.kind);
            assertTrue(bad.getMessage().contains("analyses.latency.metrics[0].provider"), bad.getMessage());
        } finally {
            admin.close();
        }
    }

    @Test
    void theStepsAnalysisFieldsSurviveTheirForms(JenkinsRule j) throws Exception {
        K8sDeployStep step = new K8sDeployStep("k8s/");
        step.setCredentialsId("prod-kubeconfig");
        step.setStrategy("canary");
        step.setPlan("20%, analysis error-rate, 100%");
        step.setAnalysis("k8s/analysis.yaml");
        step.setAnalysisYaml(AnalysisSourcesTest.analysis("error-rate", "prom", "q"));
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder builder = new K8sDeployBuilder(new K8sDeployStep("k8s/"));
        builder.getStep().setCredentialsId("prod-kubeconfig");
        builder.getStep().setStrategy("canary");
        builder.getStep().setPlan("20%, analysis error-rate, 100%");
        builder.getStep().setAnalysis("k8s/analysis.yaml");
        builder.getStep().setAnalysisYaml(AnalysisSourcesTest.analysis("error-rate", "prom", "q"));
        project.getBuildersList().add(builder);

        K8sDeployStep stepBack = new StepConfigTester(j).configRoundTrip(step);
        project = j.configRoundtrip(project);

        j.assertEqualDataBoundBeans(step, stepBack);
        j.assertEqualDataBoundBeans(builder, project.getBuildersList().get(K8sDeployBuilder.class));
    }
}
