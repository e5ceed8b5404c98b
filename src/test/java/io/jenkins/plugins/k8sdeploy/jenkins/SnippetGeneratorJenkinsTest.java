package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlOption;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.html.HtmlTextArea;
import org.htmlunit.html.HtmlTextInput;
import hudson.model.Result;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The Snippet Generator (Pipeline Syntax) as a user drives it: pick the step in its list, fill in its form, press
 * Generate Pipeline Script, read the statement. For each of the four steps, the statement names exactly what was
 * filled in, with the step's own symbol.
 */
@JenkinsTest
class SnippetGeneratorJenkinsTest {

    @Test
    void theSnippetGeneratorWritesEachOfTheFourSteps(JenkinsRule j) throws Exception {
        j.createProject(WorkflowJob.class, "p");
        JenkinsRule.WebClient wc = j.createWebClient();

        // Jenkins writes a step's mandatory parameters first (canaryPromote's and blueGreenSwitch's app), then the
        // others in alphabetical order.
        assertEquals("k8sDeploy images: 'web=registry.example/web:2', manifests: 'k8s/', namespace: 'shop'",
                generate(wc, "k8sDeploy", fields("manifests", "k8s/", "namespace", "shop",
                        "images", "web=registry.example/web:2")));
        assertEquals("canaryPromote app: 'web', namespace: 'shop', weight: '50'",
                generate(wc, "canaryPromote", fields("app", "web", "namespace", "shop", "weight", "50")));
        assertEquals("blueGreenSwitch app: 'web', namespace: 'shop'",
                generate(wc, "blueGreenSwitch", fields("app", "web", "namespace", "shop")));
        assertEquals("k8sRollback namespace: 'shop', target: 'deployment/web'",
                generate(wc, "k8sRollback", fields("target", "deployment/web", "namespace", "shop")));
    }

    /**
     * The freestyle build steps are not Pipeline steps: no {@code k8sDeployBuilder} symbol and no {@code step([$class:
     * ...])} form, so Pipeline users get only the four steps that hold no thread and survive a restart.
     */
    @Test
    void pipelineOffersNoSecondBlockingVariantOfTheSteps(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "builders");
        p.setDefinition(new CpsFlowDefinition("node { k8sDeployBuilder manifests: 'app.yaml' }", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0).get());
        j.assertLogContains("No such DSL method 'k8sDeployBuilder'", b);
        j.assertLogNotContains("Applied", b);

        p.setDefinition(new CpsFlowDefinition("node { step([$class: 'K8sDeployBuilder', manifests: 'app.yaml']) }",
                true));
        b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0).get());
        j.assertLogContains("K8sDeployBuilder", b);
        j.assertLogNotContains("Applied", b);
    }

    static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    /** Picks {@code symbol} in the Snippet Generator, fills its form's fields, presses Generate, returns the text. */
    static String generate(JenkinsRule.WebClient wc, String symbol, Map<String, String> fields) throws Exception {
        HtmlPage page = wc.goTo("job/p/pipeline-syntax/");
        HtmlSelect steps = page.getFirstByXPath("//select[contains(@class, 'dropdownList')]");
        assertNotNull(steps, "the step list");
        HtmlOption option = null;
        for (HtmlOption o : steps.getOptions()) {
            if (o.getText().startsWith(symbol + ":")) {
                option = o;
            }
        }
        assertNotNull(option, symbol + " is not in the Snippet Generator's list");
        steps.setSelectedAttribute(option, true);
        wc.waitForBackgroundJavaScript(5000);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            HtmlElement field = visibleField(page, "_." + f.getKey());
            assertNotNull(field, symbol + "'s form has no field " + f.getKey());
            if (field instanceof HtmlTextArea area) {
                area.setText(f.getValue());
            } else {
                ((HtmlTextInput) field).setValue(f.getValue());
            }
        }
        page.getHtmlElementById("generatePipelineScript").click();
        HtmlTextArea out = page.getHtmlElementById("prototypeText");
        for (int i = 0; i < 100 && out.getText().isEmpty(); i++) {
            wc.waitForBackgroundJavaScript(100);
            Thread.sleep(100);
        }
        return out.getText().strip();
    }

    /** The field of that name in the block shown for the selected step (the page keeps the others hidden). */
    private static HtmlElement visibleField(HtmlPage page, String name) {
        for (HtmlElement e : page.getDocumentElement().getElementsByAttribute("textarea", "name", name)) {
            if (e.isDisplayed()) {
                return e;
            }
        }
        for (HtmlElement e : page.getDocumentElement().getElementsByAttribute("input", "name", name)) {
            if (e.isDisplayed()) {
                return e;
            }
        }
        return null;
    }
}
