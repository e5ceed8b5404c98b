package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import java.util.ArrayList;
import java.util.List;
import org.htmlunit.CollectingAlertHandler;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The build page, the rollout pages, the REST API and the job page in a running Jenkins, over recorded rollouts (the
 * same records the offline tests use; {@link RolloutsPageClusterJenkinsTest} makes them with real deploys).
 */
@JenkinsTest
class RolloutsPageJenkinsTest {
    /** Scripts and images the pages could hold if a record string became markup. */
    private static final String INJECTED = ".k8spd-report script, .k8spd-report img, .k8spd-rollouts script,"
            + " .k8spd-rollouts img, .k8spd-last-deployed script, .k8spd-last-deployed img";

    static WorkflowRun build(JenkinsRule j, WorkflowJob job) throws Exception {
        return j.buildAndAssertStatus(Result.SUCCESS, job);
    }

    static WorkflowJob job(JenkinsRule j, String name) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition("echo 'deploying'", true));
        return p;
    }

    @Test
    void eachRolloutIsARowOnTheBuildPageAndHasAPageOfItsOwn(JenkinsRule j) throws Exception {
        WorkflowRun run = build(j, job(j, "p"));
        RolloutsAction.record(run, RecordFixtures.promoted());
        RolloutsAction.record(run, RecordFixtures.analysisFailed());
        JenkinsRule.WebClient wc = j.createWebClient();

        String buildPage = wc.getPage(run).asNormalizedText();
        for (String text : List.of("Kubernetes rollouts", "https://10.0.0.1:6443", "shop",
                "registry.example/shop/web:1.4.2 \u2192 registry.example/shop/web:1.5.0", "SUCCEEDED", "15m 00s",
                "https://127.0.0.1:46443", "demo", "ABORTED")) {
            assertTrue(buildPage.contains(text), "the build page lacks " + text + ":\n" + buildPage);
        }
        HtmlPage rollout = wc.getPage(run, "k8s-rollouts/2/");
        String text = rollout.asNormalizedText();
        for (String part : List.of("canary-error-rate", "FAILED (decided the analysis)", "Pausing 10 s at 20%.",
                "Aborted: all traffic back to stable (canary scaled to 0, stable back to 10 pods).")) {
            assertTrue(text.contains(part), "the rollout page lacks " + part + ":\n" + text);
        }
        assertEquals(1, rollout.querySelectorAll(".k8spd-report svg").size(), "the weight chart");
        String list = wc.getPage(run, "k8s-rollouts/").asNormalizedText();
        assertTrue(list.contains("registry.example/shop/web:1.5.0")
                && list.contains("web=registry.example/demo/web:3.0.0"), list);
        wc.assertFails("job/p/" + run.getNumber() + "/k8s-rollouts/3/", 404);
    }

    @Test
    void hostileRecordStringsAreTextOnEveryPageThatShowsThem(JenkinsRule j) throws Exception {
        WorkflowJob job = job(j, "p");
        WorkflowRun run = build(j, job);
        RolloutsAction.record(run, RecordFixtures.hostile());
        RolloutsAction.record(run, RecordFixtures.hostileRolling());
        JenkinsRule.WebClient wc = j.createWebClient();
        CollectingAlertHandler alerts = new CollectingAlertHandler();
        wc.setAlertHandler(alerts);

        List<HtmlPage> pages = new ArrayList<>(List.of(wc.getPage(run), wc.getPage(run, "k8s-rollouts/"),
                wc.getPage(run, "k8s-rollouts/1/"), wc.getPage(run, "k8s-rollouts/2/"), wc.getPage(job)));

        for (HtmlPage page : pages) {
            assertEquals(0, page.querySelectorAll(INJECTED).size(), page.getUrl() + " holds markup from a record");
        }
        assertEquals(List.of(), alerts.getCollectedAlerts(), "a script from a record ran");
        assertTrue(pages.get(2).asNormalizedText().contains("Started " + RecordFixtures.SCRIPT),
                "event message as text");
        assertTrue(pages.get(0).asNormalizedText().contains("web" + RecordFixtures.SVG_BREAK), "app name as text");
        assertTrue(pages.get(4).asNormalizedText().contains("api:2" + RecordFixtures.SVG_BREAK), "image as text");
    }

    /**
     * The rollout page (Jelly, from the rollout's ReportSection) and the standalone report (HtmlReport, from the same
     * section) show a rollout the same: the same text in the same order, the same elements with the same classes,
     * the same chart. Hostile strings included: the page escapes them where the report does.
     */
    @Test
    void theRolloutPageShowsWhatTheStandaloneReportShows(JenkinsRule j) throws Exception {
        WorkflowRun run = build(j, job(j, "p"));
        List<io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord> records = List.of(RecordFixtures.promoted(),
                RecordFixtures.analysisFailed(), RecordFixtures.hostile(), RecordFixtures.hostileRolling());
        records.forEach(r -> RolloutsAction.record(run, r));
        JenkinsRule.WebClient wc = j.createWebClient();

        for (int n = 1; n <= records.size(); n++) {
            org.htmlunit.html.DomNode page = wc.getPage(run, "k8s-rollouts/" + n + "/")
                    .querySelector(".k8spd-report section.rollout");
            String html = io.jenkins.plugins.k8sdeploy.engine.report.HtmlReport.section(
                    io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports.rollout(records.get(n - 1), java.util.Map.of()),
                    n);
            org.htmlunit.html.DomNode report = j.createWebClient() // a client of its own, no Jenkins page in it
                    .loadHtmlCodeIntoCurrentWindow("<!DOCTYPE html><html><body>" + html + "</body></html>")
                    .querySelector("section.rollout");

            assertEquals(outline(report), outline(page), "the elements of rollout " + n);
            assertTrue(outline(page).size() > 60, "a whole rollout: " + outline(page).size());
            // the text as a reader sees it, less the chart's (its labels are placed, not flowed: outline has them)
            for (org.htmlunit.html.DomNode root : List.of(report, page)) {
                root.querySelectorAll("svg").forEach(org.htmlunit.html.DomNode::remove);
            }
            assertEquals(report.asNormalizedText(), page.asNormalizedText(), "the text of rollout " + n);
        }
        assertEquals(1, wc.getPage(run, "k8s-rollouts/2/").querySelectorAll("svg polyline.weight").size(),
                "the chart is SVG the browser reads as SVG");
    }

    /** Every element under {@code root}: its name, classes, id, the SVG attributes that place it, and its own text. */
    private static List<String> outline(org.htmlunit.html.DomNode root) {
        List<String> out = new ArrayList<>();
        for (org.htmlunit.html.DomNode n : root.getDescendants()) {
            if (n instanceof org.htmlunit.html.DomElement e) {
                StringBuilder line = new StringBuilder(e.getLocalName());
                for (String a : List.of("class", "id", "title", "x", "y", "x1", "y2", "cx", "cy", "width", "points",
                        "viewBox", "transform", "stroke", "data-series")) {
                    if (e.hasAttribute(a)) {
                        line.append(' ').append(a).append('=').append(e.getAttribute(a));
                    }
                }
                for (org.htmlunit.html.DomNode c : e.getChildren()) {
                    if (c instanceof org.htmlunit.html.DomText t && !t.getData().isBlank()) {
                        line.append(" text=").append(t.getData().strip());
                    }
                }
                out.add(line.toString());
            }
        }
        return out;
    }

    @Test
    void theRestApiExportsTheRolloutsOfTheBuild(JenkinsRule j) throws Exception {
        WorkflowRun run = build(j, job(j, "p"));
        RolloutsAction.record(run, RecordFixtures.promoted());
        JenkinsRule.WebClient wc = j.createWebClient();

        String tree = wc.goTo("job/p/" + run.getNumber() + "/api/json?tree=actions[rollouts[number,app,outcome,"
                + "strategy,toImages,events[type,weight],analyses[name]]]", "application/json").getWebResponse()
                .getContentAsString();
        String plain = wc.goTo("job/p/" + run.getNumber() + "/api/json?depth=1", "application/json")
                .getWebResponse().getContentAsString();
        String shallow = wc.goTo("job/p/" + run.getNumber() + "/api/json", "application/json").getWebResponse()
                .getContentAsString();
        String job = wc.goTo("job/p/api/json?depth=1", "application/json").getWebResponse().getContentAsString();

        for (String part : List.of("\"_class\":\"io.jenkins.plugins.k8sdeploy.jenkins.RolloutsAction\"",
                "\"number\":1", "\"app\":\"web\"", "\"outcome\":\"SUCCEEDED\"", "\"strategy\":\"canary\"",
                "\"toImages\":[\"registry.example/shop/web:1.5.0\"]", "\"type\":\"PROMOTED\",\"weight\":100",
                "\"analyses\":[]")) {
            assertTrue(tree.contains(part), "api/json?tree= lacks " + part + ": " + tree);
        }
        assertTrue(plain.contains("\"outcome\":\"SUCCEEDED\"") && plain.contains("\"type\":\"APPROVAL_WAIT\""),
                "the summary and the events are at depth 1: " + plain);
        assertFalse(plain.contains("\"timeline\""), "the timeline needs depth=2 or tree: " + plain);
        assertFalse(shallow.contains("\"outcome\""), "the build at depth 0 is cheap: " + shallow);
        assertTrue(job.contains("\"number\":" + run.getNumber()) && !job.contains("\"outcome\""),
                "a job at depth 1 lists its builds without their records: " + job);
    }

    @Test
    void theJobPageShowsTheLastVersionEachEnvironmentGot(JenkinsRule j) throws Exception {
        WorkflowJob job = job(j, "p");
        RolloutsAction.record(build(j, job), RecordFixtures.analysisPassed()); // #1: 2.0.0 promoted
        WorkflowRun second = build(j, job);
        RolloutsAction.record(second, RecordFixtures.analysisFailed()); // #2: 3.0.0 aborted
        RolloutsAction.record(second, RecordFixtures.promoted()); // #2: another cluster, 1.5.0 promoted
        build(j, job); // #3 deploys nothing

        String page = j.createWebClient().getPage(job).asNormalizedText();

        for (String text : List.of("Last deployed versions", "https://127.0.0.1:46443",
                "web=registry.example/demo/web:2.0.0", "#1", "https://10.0.0.1:6443", "registry.example/shop/web:1.5.0",
                "#2")) {
            assertTrue(page.contains(text), "the job page lacks " + text + ":\n" + page);
        }
        assertFalse(page.contains("web=registry.example/demo/web:3.0.0"), "an aborted canary never served");
    }

    @Test
    void aJobThatNeverDeployedShowsNoTable(JenkinsRule j) throws Exception {
        WorkflowJob job = job(j, "p");
        build(j, job);

        assertFalse(j.createWebClient().getPage(job).asNormalizedText().contains("Last deployed versions"));
    }

    /**
     * With Jenkins' Content-Security-Policy enforced (it blocks inline styles and scripts), the plugin's pages need
     * nothing it blocks: no style attribute, style element, script or event handler in what the plugin writes, and
     * Chromium, loading the pages under the enforced policy, reports no violation.
     */
    @Test
    void thePagesNeedNothingAnEnforcedContentSecurityPolicyBlocks(JenkinsRule j) throws Exception {
        String property = "jenkins.security.csp.CspHeader.headerName";
        System.setProperty(property, "Content-Security-Policy");
        try {
            WorkflowJob job = job(j, "p");
            WorkflowRun run = build(j, job);
            RolloutsAction.record(run, RecordFixtures.promoted());
            RolloutsAction.record(run, RecordFixtures.analysisFailed());
            JenkinsRule.WebClient wc = j.createWebClient();
            String ours = ".k8spd-report, .k8spd-rollouts, .k8spd-last-deployed";
            for (String url : List.of("", "k8s-rollouts/", "k8s-rollouts/1/", "k8s-rollouts/2/", "job")) {
                HtmlPage page = url.equals("job") ? wc.getPage(job) : wc.getPage(run, url);
                String csp = page.getWebResponse().getResponseHeaderValue("Content-Security-Policy");
                assertTrue(csp != null && csp.contains("default-src 'self'"), "enforced on " + url + ": " + csp);
                List<String> blocked = new ArrayList<>();
                for (org.htmlunit.html.DomNode root : page.querySelectorAll(ours)) {
                    List<org.htmlunit.html.DomNode> all = new ArrayList<>(List.of(root));
                    root.getDescendants().forEach(all::add);
                    for (org.htmlunit.html.DomNode n : all) {
                        if (n instanceof org.htmlunit.html.DomElement e) {
                            if (e.getTagName().equals("style") || e.getTagName().equals("script")) {
                                blocked.add("<" + e.getTagName() + ">");
                            }
                            e.getAttributesMap().keySet().stream()
                                    .filter(a -> a.equals("style") || a.startsWith("on"))
                                    .forEach(a -> blocked.add(e.getTagName() + " " + a + "="));
                        }
                    }
                }
                assertEquals(List.of(), blocked, "what the policy blocks, on " + url);
            }
            for (String url : List.of(run.getUrl(), run.getUrl() + "k8s-rollouts/2/", "job/p/")) {
                List<String> violations = chromiumConsole(j.getURL() + url).lines()
                        .filter(l -> l.contains("Content Security Policy")).toList();
                assertEquals(List.of(), violations, "Chromium, on " + url);
            }
        } finally {
            System.clearProperty(property);
        }
    }

    /** What headless Chromium logs (its console included) while it loads {@code url}. */
    static String chromiumConsole(String url) throws Exception {
        java.nio.file.Path profile = java.nio.file.Files.createTempDirectory("csp-chromium-");
        java.nio.file.Path log = java.nio.file.Files.createTempFile("csp-chromium-", ".log");
        try {
            Process p = new ProcessBuilder(JenkinsExperienceBrowserJenkinsTest.chromium(), "--headless=new",
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
                    "--dump-dom", url).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("Chromium did not finish in 120 s on " + url);
            }
            String out = java.nio.file.Files.readString(log);
            assertTrue(out.contains("</html>"), "Chromium loaded no page from " + url + ":\n" + out);
            return out;
        } finally {
            java.nio.file.Files.deleteIfExists(log);
            try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
