package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.model.FreeStyleProject;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

@JenkinsTest
class K8sDeployBuilderJenkinsTest {

    @Test
    void everyFieldSurvivesAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder builder = new K8sDeployBuilder(new K8sDeployStep("k8s/*.yaml"));
        builder.getStep().setCredentialsId("prod-kubeconfig");
        builder.getStep().setContext("prod");
        builder.getStep().setNamespace("shop");
        builder.getStep().setPinNamespace(true);
        builder.getStep().setAllowClusterScoped("CustomResourceDefinition");
        builder.getStep().setImages("web=registry.example/web:1.4.2");
        builder.getStep().setTimeout("5m");
        builder.getStep().setRollback(false);
        builder.getStep().setForceConflicts(true);
        project.getBuildersList().add(builder);

        project = j.configRoundtrip(project);

        j.assertEqualDataBoundBeans(builder, project.getBuildersList().get(K8sDeployBuilder.class));
    }
}
