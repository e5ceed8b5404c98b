package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * The Jenkins experience end to end, as users meet it, in a real Jenkins against the local control plane: a Pipeline
 * job deploys with a token from the credentials store, v2 runs as a canary whose approval gate is decided on the
 * build page (a refused user first, then the submitter, through the page's own form: POST with its crumb), the
 * console, the build page's rollout rows, the rollout page with its chart, the job page's last version; then v3,
 * aborted at its gate; and a freestyle job configured through its form. Headless Chromium takes screenshots of the
 * build page and the rollout page, kept in {@code target/jenkins-pages/} for a person to look at.
 */
@JenkinsTest
@RequiresCluster
@Tag("browser")
class JenkinsExperienceBrowserJenkinsTest {
    static final Path OUT = Path.of("target", "jenkins-pages").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void aCanaryIsDecidedOnTheBuildPageAndShowsOnEveryPage(JenkinsRule j, TestCluster cluster) throws Exception {
        security(j);
        credential(cluster);
        WorkflowJob job = j.createProject(WorkflowJob.class, "shop");
        job.setDefinition(new CpsFlowDefinition(script(cluster, """
                k8sDeploy(k + [images: 'web=registry.example/web:1'])
                def r = k8sDeploy(k + [images: 'web=registry.example/web:2', strategy: 'canary',
                                       plan: '50%, approval, 100%',
                                       approval: [message: 'Ship web 2 to every pod?', submitter: 'alice']])
                echo "v2: ${r.outcome}"
                """), true));

        WorkflowRun b1 = job.scheduleBuild2(0).waitForStart();
        String gate = waitForGate(b1);
        // bob may read the build, not decide: the page's own form, his POST refused with the reason
        HtmlPage refused = click(j.createWebClient().login("bob"), b1, gate, "proceed", null);
        assertEquals(403, refused.getWebResponse().getStatusCode());
        assertTrue(refused.getWebResponse().getContentAsString().contains("alice"), "the refusal names who may");
        assertEquals(1, b1.getAction(ApprovalsAction.class).getPending().size(), "still waiting after bob");
        HtmlPage after = click(j.createWebClient().login("alice"), b1, gate, "proceed", "ship it");
        assertEquals(200, after.getWebResponse().getStatusCode(), "back on the build page");
        j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b1));

        JenkinsRule.WebClient anyone = j.createWebClient();
        String console = anyone.getPage(b1, "console").asNormalizedText();
        for (String line : List.of("Deployment/web rolled out: 2 of 2 replicas", "Ship web 2 to every pod? Proceed or Abort on the build page",
                "Approved by alice: ship it.", "Promoted: Deployment/web runs web=registry.example/web:2",
                "v2: SUCCEEDED")) {
            assertTrue(console.contains(line), "the console lacks '" + line + "':\n" + console);
        }
        String buildPage = anyone.getPage(b1).asNormalizedText();
        for (String text : List.of("Kubernetes rollouts", cluster.namespace(), "canary", "web=registry.example/web:2",
                "SUCCEEDED", "Ship web 2 to every pod?", "proceed", "alice", "ship it")) {
            assertTrue(buildPage.contains(text), "the build page lacks '" + text + "':\n" + buildPage);
        }
        HtmlPage rollout = anyone.getPage(b1, "k8s-rollouts/2/");
        assertTrue(rollout.asNormalizedText().contains("Traffic"), rollout.asNormalizedText());
        assertTrue(rollout.getByXPath("//*[local-name()='svg']").size() >= 1, "the rollout page has its chart");
        String jobPage = anyone.getPage(job).asNormalizedText();
        assertTrue(jobPage.contains("Last deployed versions") && jobPage.contains("registry.example/web:2"), jobPage);

        Files.createDirectories(OUT);
        BufferedImage page = screenshot(j.getURL() + b1.getUrl(), OUT.resolve("pipeline-build-page.png"));
        assertTrue(page.getWidth() >= 1200, "a screenshot of the build page");
        BufferedImage chart = screenshot(j.getURL() + b1.getUrl() + "k8s-rollouts/2/",
                OUT.resolve("pipeline-rollout-page.png"));
        assertTrue(count(chart, 0x0969da) > 200, "the canary weight line (rollout.css's blue) is drawn");

        // v3: aborted at its gate by the submitter; bob's abort is refused like his proceed
        job.setDefinition(new CpsFlowDefinition(script(cluster, """
                k8sDeploy(k + [images: 'web=registry.example/web:3', strategy: 'canary', plan: '50%, approval, 100%',
                               approval: [message: 'Ship web 3 to every pod?', submitter: 'alice']])
                """), true));
        WorkflowRun b2 = job.scheduleBuild2(0).waitForStart();
        String gate3 = waitForGate(b2);
        assertEquals(403, click(j.createWebClient().login("bob"), b2, gate3, "abort", null).getWebResponse()
                .getStatusCode());
        click(j.createWebClient().login("alice"), b2, gate3, "abort", "not today");
        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b2));
        j.assertLogContains("Rejected by alice: not today.", b2);
        assertEquals("registry.example/web:2", cluster.admin().apps().deployments().inNamespace(cluster.namespace())
                .withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        String aborted = anyone.getPage(b2).asNormalizedText();
        assertTrue(aborted.contains("ABORTED") && aborted.contains("abort") && aborted.contains("not today"), aborted);
        screenshot(j.getURL() + b2.getUrl(), OUT.resolve("pipeline-aborted-build-page.png"));
    }

    @Test
    void aFreestyleJobConfiguredThroughItsFormDeploys(JenkinsRule j, TestCluster cluster) throws Exception {
        credential(cluster);
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        FreeStyleProject p = j.createFreeStyleProject("freestyle");
        K8sDeployBuilder builder = new K8sDeployBuilder(new K8sDeployStep(manifest.toString()));
        builder.getStep().setCredentialsId("testbed-token");
        builder.getStep().setServerUrl(cluster.adminConnection().serverUrl());
        builder.getStep().setCaCertificate(cluster.adminConnection().caCertificatePem());
        builder.getStep().setNamespace(cluster.namespace());
        p.getBuildersList().add(builder);

        // the configure page as a browser submits it: every field of the build step through its form
        p = j.configRoundtrip(p);
        j.assertEqualDataBoundBeans(builder, p.getBuildersList().get(K8sDeployBuilder.class));

        FreeStyleBuild b = j.buildAndAssertSuccess(p);
        j.assertLogContains("Deployment/web rolled out: 2 of 2 replicas updated and available.", b);
        String buildPage = j.createWebClient().getPage(b).asNormalizedText();
        assertTrue(buildPage.contains("Kubernetes rollouts") && buildPage.contains("registry.example/web:1"),
                buildPage);
        Files.createDirectories(OUT);
        screenshot(j.getURL() + b.getUrl(), OUT.resolve("freestyle-build-page.png"));
    }

    /** alice may build and is the gates' submitter; bob and anonymous may only read (Chromium reads as anonymous). */
    static void security(JenkinsRule j) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().toEveryone()
                .grant(Item.BUILD).everywhere().to("alice"));
    }

    static void credential(TestCluster cluster) throws IOException {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "testbed-token", "the test bed's token",
                Secret.fromString(cluster.adminConnection().bearerToken())));
    }

    /** A Pipeline whose {@code k} holds the cluster settings (a token credential) and the manifest. */
    String script(TestCluster cluster, String body) throws IOException {
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        return "node {\n  def k = [manifests: '" + manifest + "', credentialsId: 'testbed-token', serverUrl: '"
                + cluster.adminConnection().serverUrl() + "', caCertificate: '''"
                + cluster.adminConnection().caCertificatePem() + "''', namespace: '" + cluster.namespace() + "']\n"
                + body + "}\n";
    }

    static String waitForGate(WorkflowRun b) throws InterruptedException {
        return ApprovalGatePipelineJenkinsTest.waitForGate(b).getId();
    }

    /** Clicks Proceed or Abort of the gate {@code id} on the build page, with a comment, as the web client's user. */
    static HtmlPage click(JenkinsRule.WebClient wc, WorkflowRun b, String id, String button, String comment)
            throws Exception {
        wc.getOptions().setThrowExceptionOnFailingStatusCode(false);
        wc.getOptions().setPrintContentOnFailingStatusCode(false);
        HtmlPage page = wc.getPage(b);
        HtmlForm form = page.getFormByName("proceed-" + id);
        if (comment != null) {
            form.getInputByName("comment").setValue(comment);
        }
        HtmlButton submit = form.getButtonByName(button);
        return submit.click();
    }

    /** Headless Chromium's screenshot of {@code url} (as an anonymous reader) at {@code png}. */
    static BufferedImage screenshot(String url, Path png) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        Path profile = Files.createTempDirectory("jenkins-page-chromium-");
        Path log = Files.createTempFile("jenkins-page-chromium-", ".log");
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--window-size=1400,2200", "--virtual-time-budget=5000", "--screenshot=" + png, url));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("Chromium did not finish in 120 s: " + String.join(" ", cmd));
            }
            BufferedImage image = Files.isRegularFile(png) ? ImageIO.read(png.toFile()) : null;
            assertNotNull(image, "no screenshot of " + url + " (exit " + p.exitValue() + "):\n"
                    + Files.readString(log));
            return image;
        } finally {
            Files.deleteIfExists(log);
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    static String chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        fail("no Chromium (testbed/up installs Debian's chromium)");
        return null;
    }
}
