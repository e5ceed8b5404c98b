package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryState;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * Approval gates of a canary from a Jenkinsfile: the build page's action shows the wait, only the named submitters
 * (users or groups) may decide, only by POST, and the decision reaches the rollout record; a timeout aborts.
 */
@JenkinsTest
@RequiresCluster
class ApprovalGatePipelineJenkinsTest {
    @TempDir
    Path dir;

    /** Deploys v1 (straight to full), then v2 as a canary '50%, approval, 100%' behind {@code approval}. */
    WorkflowJob job(JenkinsRule j, TestCluster cluster, String approval) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                CredentialsScope.GLOBAL, "kc", "", "kubeconfig",
                SecretBytes.fromRawBytes(Files.readAllBytes(cluster.bed().adminKubeconfig()))));
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, K8sDeployClusterJenkinsTest.deployment("registry.example/web:1", ""));
        String k = "manifests: '" + manifest + "', credentialsId: 'kc', namespace: '" + cluster.namespace()
                + "', strategy: 'canary'";
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  k8sDeploy " + k + ", images: 'web=registry.example/web:1'\n"
                + "  def r = k8sDeploy " + k + ", images: 'web=registry.example/web:2', plan: '50%, approval, 100%',"
                + " approval: " + approval + "\n"
                + "  echo \"outcome=${r.outcome}\"\n"
                + "}", true));
        return p;
    }

    /**
     * alice and bob may build; carol is in release-managers; nobody is an administrator but admin. "ALICE" may read
     * too: MockAuthorizationStrategy matches names case-sensitively (real strategies follow the realm's IdStrategy),
     * and the gate's own case-insensitive matching is what a test logging in as ALICE is about.
     */
    static void security(JenkinsRule j) {
        JenkinsRule.DummySecurityRealm realm = j.createDummySecurityRealm();
        realm.addGroups("carol", "release-managers");
        j.jenkins.setSecurityRealm(realm);
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("alice", "ALICE", "bob", "carol")
                .grant(Item.BUILD).everywhere().to("alice", "bob"));
    }

    static ApprovalsAction.Pending waitForGate(WorkflowRun b) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            ApprovalsAction a = b.getAction(ApprovalsAction.class);
            if (a != null && !a.getPending().isEmpty()) {
                return a.getPending().get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no approval gate shown on " + b.getExternalizableId());
    }

    /** POSTs {@code proceed} or {@code abort} as {@code user} (null: anonymous); returns the HTTP status. */
    static int post(JenkinsRule j, WorkflowRun b, String user, String verb, String id, String comment)
            throws Exception {
        JenkinsRule.WebClient wc = user == null ? j.createWebClient() : j.createWebClient().login(user);
        wc.getOptions().setThrowExceptionOnFailingStatusCode(false);
        wc.getOptions().setRedirectEnabled(false);
        WebRequest req = new WebRequest(wc.createCrumbedUrl(b.getUrl() + ApprovalsAction.URL_NAME + "/" + verb),
                HttpMethod.POST);
        req.setRequestParameters(new java.util.ArrayList<>(req.getRequestParameters()));
        req.getRequestParameters().add(new org.htmlunit.util.NameValuePair("id", id));
        if (comment != null) {
            req.getRequestParameters().add(new org.htmlunit.util.NameValuePair("comment", comment));
        }
        Page page = wc.getPage(req);
        return page.getWebResponse().getStatusCode();
    }

    /**
     * A gate with submitters is passed only through Jenkins by a permitted user: the promotion anyone who may patch
     * the Deployment can write is refused and logged; canaryPromote counts for the user who started its build only
     * when that user is a submitter.
     */
    @Test
    void onlyAPermittedUserPassesAGateWithSubmittersNeverAnAnnotation(JenkinsRule j, TestCluster cluster)
            throws Exception {
        security(j);
        hudson.model.User.getById("alice", true);
        hudson.model.User.getById("bob", true);
        WorkflowRun b = job(j, cluster, "[submitter: 'alice']").scheduleBuild2(0).waitForStart();
        ApprovalsAction.Pending gate = waitForGate(b);

        // What k8spd canary promote (or kubectl annotate) writes, by someone who may patch the Deployment.
        cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").edit(d -> {
            d.getMetadata().getAnnotations().put(CanaryState.COMMAND, CanaryState.PROMOTE);
            return d;
        });
        j.waitForMessage("Ignored 'promote' written on Deployment/web: the approval of this canary is decided only"
                + " in Jenkins", b);
        assertEquals(1, b.getAction(ApprovalsAction.class).getPending().size(), "the gate still waits");

        WorkflowJob promote = j.createProject(WorkflowJob.class, "promote");
        promote.setDefinition(new CpsFlowDefinition("canaryPromote app: 'web', namespace: '" + cluster.namespace()
                + "', credentialsId: 'kc'", true));
        WorkflowRun byBob = j.assertBuildStatus(Result.FAILURE, promote.scheduleBuild2(0,
                new hudson.model.CauseAction(new hudson.model.Cause.UserIdCause("bob"))).get());
        j.assertLogContains("canaryPromote may not approve", byBob);
        j.assertLogContains("bob may not decide this approval: only alice", byBob);
        assertEquals(1, b.getAction(ApprovalsAction.class).getPending().size(), "the gate still waits");

        WorkflowRun byAlice = j.assertBuildStatus(Result.SUCCESS, promote.scheduleBuild2(0,
                new hudson.model.CauseAction(new hudson.model.Cause.UserIdCause("alice"))).get());
        j.assertLogContains("as alice, through Jenkins.", byAlice);
        j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
        j.assertLogContains("outcome=SUCCEEDED", b);
        assertEquals("alice", b.getAction(ApprovalsAction.class).getDecided().get(0).getWho());
    }

    @Test
    void aNonSubmitterIsRefusedAGetChangesNothingAndASubmitterProceeds(JenkinsRule j, TestCluster cluster)
            throws Exception {
        security(j);
        WorkflowRun b = job(j, cluster, "[message: 'Ship 2 to everyone?', submitter: 'alice, release-managers']")
                .scheduleBuild2(0).waitForStart();
        ApprovalsAction.Pending gate = waitForGate(b);
        assertEquals("Ship 2 to everyone?", gate.getMessage());
        j.assertLogContains("Ship 2 to everyone? Proceed or Abort on the build page (alice, release-managers).", b);

        assertEquals(403, post(j, b, "bob", "proceed", gate.getId(), null), "bob is not a submitter");
        JenkinsRule.WebClient wc = j.createWebClient().login("alice");
        wc.getOptions().setThrowExceptionOnFailingStatusCode(false);
        int get = wc.goTo(b.getUrl() + ApprovalsAction.URL_NAME + "/proceed?id=" + gate.getId(), null)
                .getWebResponse().getStatusCode();
        assertTrue(get == 404 || get == 405, "a GET decides nothing: " + get);
        assertEquals(1, b.getAction(ApprovalsAction.class).getPending().size(), "still waiting");
        assertTrue(b.getAction(ApprovalsAction.class).getDecided().isEmpty());

        assertEquals(302, post(j, b, "ALICE", "proceed", gate.getId(), "looks good"), "ids ignore case");

        j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
        j.assertLogContains("Approved by alice: looks good.", b);
        j.assertLogContains("outcome=SUCCEEDED", b);
        ApprovalsAction.Decided d = b.getAction(ApprovalsAction.class).getDecided().get(0);
        assertEquals("alice", d.getWho());
        assertEquals("proceed", d.getOutcome());
        assertTrue(b.getAction(ApprovalsAction.class).getPending().isEmpty());
        RolloutView canary = b.getAction(RolloutsAction.class).getRollouts().get(1);
        assertTrue(String.valueOf(canary.getEvents()).contains("Approved by alice"), "in the record");
    }

    @Test
    void aGroupMemberRejectsAndTheRecordNamesThem(JenkinsRule j, TestCluster cluster) throws Exception {
        security(j);
        WorkflowRun b = job(j, cluster, "[submitter: 'release-managers']").scheduleBuild2(0).waitForStart();
        ApprovalsAction.Pending gate = waitForGate(b);

        assertEquals(302, post(j, b, "carol", "abort", gate.getId(), "error budget spent"));

        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
        j.assertLogContains("Rejected by carol: error budget spent.", b);
        j.assertLogNotContains("\tat ", b);
        ApprovalsAction.Decided d = b.getAction(ApprovalsAction.class).getDecided().get(0);
        assertEquals("carol", d.getWho());
        assertEquals("abort", d.getOutcome());
        assertEquals("error budget spent", d.getComment());
        RolloutView canary = b.getAction(RolloutsAction.class).getRollouts().get(1);
        assertTrue(String.valueOf(canary.getEvents()).contains("Rejected by carol"),
                "REJECTED with the user in the rollout record");
    }

    @Test
    void withoutSubmittersWhoeverMayBuildDecidesAndAnAdministratorAlways(JenkinsRule j, TestCluster cluster)
            throws Exception {
        security(j);
        WorkflowRun b = job(j, cluster, "[:]").scheduleBuild2(0).waitForStart();
        ApprovalsAction.Pending gate = waitForGate(b);

        assertEquals(403, post(j, b, "carol", "proceed", gate.getId(), null), "carol may not build");
        assertEquals(302, post(j, b, "admin", "proceed", gate.getId(), null));

        j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
        j.assertLogContains("Approved by admin.", b);
    }

    @Test
    void aTimeoutAbortsTheCanaryAndTheGateSaysSo(JenkinsRule j, TestCluster cluster) throws Exception {
        WorkflowRun b = job(j, cluster, "[timeout: '5s']").scheduleBuild2(0).waitForStart();
        ApprovalsAction.Pending gate = waitForGate(b);
        assertTrue(gate.getDeadlineText() != null, "the deadline is shown");

        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
        j.assertLogContains("No decision within 5 s", b);
        ApprovalsAction.Decided d = b.getAction(ApprovalsAction.class).getDecided().get(0);
        assertEquals("timed out", d.getOutcome());
        assertNull(d.getWho());
    }

    @Test
    void aStoppedBuildClosesItsGate(JenkinsRule j, TestCluster cluster) throws Exception {
        WorkflowRun b = job(j, cluster, "[message: 'Ship 2?']").scheduleBuild2(0).waitForStart();
        waitForGate(b);

        b.doStop();

        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        ApprovalsAction a = b.getAction(ApprovalsAction.class);
        assertTrue(a.getPending().isEmpty(), "no gate left waiting with live buttons");
        assertEquals(ApprovalsAction.Decided.ENDED, a.getDecided().get(0).getOutcome());
        String page = j.createWebClient().getPage(b).asXml();
        assertFalse(page.contains("name=\"proceed\""), "no Proceed button on the build page");
    }
}
