package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.ExtensionList;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.springframework.security.access.AccessDeniedException;

/**
 * Named clusters survive the system configuration page and a reload, a bad list is refused, their form support is for
 * administrators only, steps keep {@code cluster} through their forms, and a pipeline naming an unknown cluster or
 * contradicting a named one fails with the reason before connecting anywhere.
 */
@JenkinsTest
class NamedClusterJenkinsTest {
    static NamedCluster prod() {
        NamedCluster prod = new NamedCluster("prod", "https://k8s.example.com:6443");
        prod.setCaCertificate(NamedClustersTest.CA);
        prod.setCredentialsId("prod-deployer");
        prod.setNamespace("shop");
        return prod;
    }

    @Test
    void theClustersSurviveTheConfigurationPageAndAreReadBackFromDisk(JenkinsRule j) throws Exception {
        ProgressiveDeliveryConfiguration c = ProgressiveDeliveryConfiguration.get();
        assertEquals(List.of(), c.getClusters(), "nothing configured at first");
        c.setClusters(List.of(prod(), new NamedCluster("staging", "https://staging.example.com:6443")));

        j.configRoundtrip();

        List<NamedCluster> back = ProgressiveDeliveryConfiguration.get().getClusters();
        assertEquals(2, back.size());
        j.assertEqualDataBoundBeans(prod(), back.get(0));
        j.assertEqualDataBoundBeans(new NamedCluster("staging", "https://staging.example.com:6443"), back.get(1));
        List<NamedCluster> reloaded = new ProgressiveDeliveryConfiguration().getClusters();
        assertEquals(2, reloaded.size(), "a fresh instance loads what the page saved");
        j.assertEqualDataBoundBeans(prod(), reloaded.get(0));
    }

    @Test
    void aListWithADuplicateNameOrAPlainHttpServerIsRefusedWhole(JenkinsRule j) {
        ProgressiveDeliveryConfiguration c = ProgressiveDeliveryConfiguration.get();
        c.setClusters(List.of(prod()));

        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> c.setClusters(List.of(prod(), new NamedCluster("PROD", "https://other.example.com"))));
        assertTrue(duplicate.getMessage().contains("'PROD' is used twice"), duplicate.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> c.setClusters(List.of(new NamedCluster("dev", "http://dev.example.com"))));

        assertEquals(1, c.getClusters().size(), "the previous list is kept");
    }

    @Test
    void onlyAdministratorsMayHaveANamedClusterChecked(JenkinsRule j) {
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.READ).everywhere()
                .toEveryone());
        NamedCluster.DescriptorImpl d = ExtensionList.lookupSingleton(NamedCluster.DescriptorImpl.class);

        try (ACLContext reader = ACL.as2(Jenkins.ANONYMOUS2)) {
            assertThrows(AccessDeniedException.class, () -> d.doCheckServerUrl("https://k8s.example.com"));
            assertThrows(AccessDeniedException.class, () -> d.doCheckName("prod"));
            assertThrows(AccessDeniedException.class, () -> d.doCheckCaCertificate(NamedClustersTest.CA));
            assertEquals(1, d.doFillCredentialsIdItems("prod-deployer", null).size(),
                    "a reader gets only the current value back");
        }
        try (ACLContext admin = ACL.as2(ACL.SYSTEM2)) {
            assertEquals(FormValidation.Kind.OK, d.doCheckServerUrl("https://k8s.example.com").kind);
            assertEquals(FormValidation.Kind.ERROR, d.doCheckServerUrl("http://k8s.example.com").kind);
            assertEquals(FormValidation.Kind.ERROR, d.doCheckName("a b").kind);
        }
    }

    @Test
    void theClusterDropDownListsNamesOnlyToThoseWhoMayReadTheJobsConfiguration(JenkinsRule j) throws Exception {
        ProgressiveDeliveryConfiguration.get().setClusters(List.of(prod(),
                new NamedCluster("staging", "https://staging.example.com:6443")));
        FreeStyleProject project = j.createFreeStyleProject("fs");
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().toEveryone()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        K8sDeployStep.DescriptorImpl d = ExtensionList.lookupSingleton(K8sDeployStep.DescriptorImpl.class);

        try (ACLContext reader = ACL.as2(Jenkins.ANONYMOUS2)) {
            assertEquals(1, d.doFillClusterItems(project, null).size(), "only (none)");
            assertEquals(2, d.doFillClusterItems(project, "prod").size(), "(none) and the current value");
        }
        try (ACLContext admin = ACL.as2(ACL.SYSTEM2)) {
            assertEquals(3, d.doFillClusterItems(project, "prod").size(), "(none), prod, staging");
        }
    }

    @Test
    void theStepsAndTheBuildersClusterSurvivesTheirForms(JenkinsRule j) throws Exception {
        ProgressiveDeliveryConfiguration.get().setClusters(List.of(prod()));
        K8sDeployStep step = new K8sDeployStep("k8s/");
        step.setCluster("prod");
        step.setNamespace("shop-canary");
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder builder = new K8sDeployBuilder(new K8sDeployStep("k8s/"));
        builder.getStep().setCluster("prod");
        builder.getStep().setCredentialsId("prod-deployer");
        project.getBuildersList().add(builder);

        K8sDeployStep stepBack = new StepConfigTester(j).configRoundTrip(step);
        project = j.configRoundtrip(project);

        j.assertEqualDataBoundBeans(step, stepBack);
        j.assertEqualDataBoundBeans(builder, project.getBuildersList().get(K8sDeployBuilder.class));
    }

    @Test
    void aPipelineNamingAnUnknownClusterFailsListingTheConfiguredOnes(JenkinsRule j) throws Exception {
        ProgressiveDeliveryConfiguration.get().setClusters(List.of(prod()));

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j,
                "node { k8sDeploy cluster: 'prd', yaml: 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: c}' }",
                Result.FAILURE);

        j.assertLogContains("No cluster named 'prd' is configured. Expected one of 'prod'", run);
    }

    @Test
    void aPipelineCannotPointANamedClusterElsewhere(JenkinsRule j) throws Exception {
        ProgressiveDeliveryConfiguration.get().setClusters(List.of(prod()));

        WorkflowRun run = K8sDeployStepJenkinsTest.runPipeline(j,
                "node { k8sDeploy cluster: 'prod', serverUrl: 'https://evil.example.com', "
                        + "yaml: 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: c}' }",
                Result.FAILURE);

        j.assertLogContains("cluster 'prod' is at https://k8s.example.com:6443 but serverUrl is"
                + " https://evil.example.com.", run);
        j.assertLogNotContains("Connected to", run);
    }
}
