package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
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

    /**
     * A build step added in the form has no instance yet: its form, the Pipeline step's, renders from the defaults
     * (as the page renders it when "Add build step" is chosen), without the Pipeline-only approval gate.
     */
    @Test
    void aNewBuildStepsFormIsItsStepsFormWithoutTheApprovalGate(JenkinsRule j) throws Exception {
        j.createFreeStyleProject("fs");
        Map<String, String> fields = Map.of("K8sDeployBuilder", "manifests", "CanaryPromoteBuilder", "weight",
                "BlueGreenSwitchBuilder", "waitForScaleDown", "K8sRollbackBuilder", "toRevision");
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.getOptions().setJavaScriptEnabled(false);
            String page = wc.goTo("job/fs/configure").getWebResponse().getContentAsString();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                Matcher m = Pattern.compile("descriptorId=\"io\\.jenkins\\.plugins\\.k8sdeploy\\.jenkins\\." + e.getKey()
                        + "\".*?data-proxy-url=\"([^\"]+)\"\\s+data-proxy-crumb=\"([^\"]*)\"", Pattern.DOTALL)
                        .matcher(page);
                assertTrue(m.find(), e.getKey() + " has no form to add");
                // As the page's script asks for it: Jenkins' crumb on the URL, the bound object's own in "Crumb".
                String proxy = m.group(1).substring(m.group(1).indexOf("$stapler/"));
                WebRequest render = new WebRequest(wc.createCrumbedUrl(proxy + "/render"), HttpMethod.POST);
                render.setAdditionalHeader("Content-Type", "application/x-stapler-method-invocation;charset=UTF-8");
                render.setAdditionalHeader("Crumb", m.group(2));
                render.setRequestBody("[]");
                Page form = wc.getPage(render);
                String html = form.getWebResponse().getContentAsString();
                assertEquals(200, form.getWebResponse().getStatusCode(), e.getKey());
                assertTrue(html.contains("name=\"_." + e.getValue() + "\""), e.getKey() + ": " + html);
                assertTrue(html.contains("name=\"_.credentialsId\""), e.getKey() + ": " + html);
                assertFalse(html.contains("Approval gate"), e.getKey() + ": " + html);
            }
        }
    }
}
