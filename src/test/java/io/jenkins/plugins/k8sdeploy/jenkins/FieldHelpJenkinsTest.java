package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.htmlunit.Page;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The help of the steps' and build steps' fields is written once: a Pipeline step finds the cluster fields' help in
 * its superclass's folder ({@code ClusterStep/}), and a freestyle build step's form, which is its Pipeline step's,
 * links to that step's help (but where the build step words a field for itself).
 */
@JenkinsTest
class FieldHelpJenkinsTest {
    private static final String PKG = "io.jenkins.plugins.k8sdeploy.jenkins.";
    private static final Pattern HELP = Pattern.compile("helpURL=\"[^\"]*?/(descriptor/[^\"]+)\"");

    @Test
    void theBuildStepsFormLinksToThePipelineStepsHelpAndEveryLinkIsServed(JenkinsRule j) throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("fs");
        p.getBuildersList().add(new K8sDeployBuilder(new K8sDeployStep("k8s/")));
        p.getBuildersList().add(new CanaryPromoteBuilder(new CanaryPromoteStep("web")));
        p.getBuildersList().add(new BlueGreenSwitchBuilder(new BlueGreenSwitchStep("web")));
        p.getBuildersList().add(new K8sRollbackBuilder(new K8sRollbackStep("deployment/web")));
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            String form = wc.goTo("job/fs/configure").getWebResponse().getContentAsString();
            Set<String> links = new TreeSet<>();
            Matcher m = HELP.matcher(form);
            while (m.find()) {
                links.add(m.group(1));
            }
            for (String s : new String[] {"K8sDeploy", "CanaryPromote", "BlueGreenSwitch", "K8sRollback"}) {
                assertTrue(links.contains("descriptor/" + PKG + s + "Step/help/namespace"), s + ": " + links);
                assertTrue(links.contains("descriptor/" + PKG + s + "Step/help/credentialsId"), s + ": " + links);
                assertTrue(links.contains("descriptor/" + PKG + s + "Step/help/timeout"), s + ": " + links);
            }
            assertTrue(links.contains("descriptor/" + PKG + "K8sDeployStep/help/manifests"), links.toString());
            // Its own text: the build step holds its executor while it waits, the Pipeline step does not.
            assertTrue(links.contains("descriptor/" + PKG + "BlueGreenSwitchBuilder/help/waitForScaleDown"),
                    links.toString());
            for (String link : links) {
                Page page = wc.goTo(link, null);
                assertEquals(200, page.getWebResponse().getStatusCode(), link);
                assertFalse(page.getWebResponse().getContentAsString().isBlank(), link);
            }
        }
    }

    @Test
    void everyPipelineStepServesTheClusterFieldsHelpFromOneFolder(JenkinsRule j) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            for (String s : new String[] {"K8sDeploy", "CanaryPromote", "BlueGreenSwitch", "K8sRollback"}) {
                for (String field : new String[] {"credentialsId", "serverUrl", "caCertificate", "context", "cluster"}) {
                    String link = "descriptor/" + PKG + s + "Step/help/" + field;
                    Page page = wc.goTo(link, null);
                    assertEquals(200, page.getWebResponse().getStatusCode(), link);
                    assertFalse(page.getWebResponse().getContentAsString().isBlank(), link);
                }
            }
        }
    }
}
