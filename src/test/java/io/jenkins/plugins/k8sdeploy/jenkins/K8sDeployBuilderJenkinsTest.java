package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.model.FreeStyleProject;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

@JenkinsTest
class K8sDeployBuilderJenkinsTest {

    @Test
    void everyFieldSurvivesAConfigurationRoundTrip(JenkinsRule j) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("fs");
        K8sDeployBuilder builder = new K8sDeployBuilder("k8s/*.yaml");
        builder.setCredentialsId("prod-kubeconfig");
        builder.setContext("prod");
        builder.setNamespace("shop");
        builder.setPinNamespace(true);
        builder.setAllowClusterScoped("CustomResourceDefinition");
        builder.setImages("web=registry.example/web:1.4.2");
        builder.setTimeout("5m");
        builder.setRollback(false);
        builder.setForceConflicts(true);
        project.getBuildersList().add(builder);

        project = j.configRoundtrip(project);

        j.assertEqualDataBoundBeans(builder, project.getBuildersList().get(K8sDeployBuilder.class));
    }
}
