package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import hudson.model.Result;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * An approval gate survives a controller restart: the pending wait is on the build page again (from build.xml), the
 * resumed execution registers for it, and a decision after the restart reaches the canary. (Session-based: not
 * {@link JenkinsTest}, same tag and name rule.)
 */
@Tag("jenkins")
@RequiresCluster
class ApprovalGateRestartJenkinsTest {
    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private final CanaryRestartJenkinsTest canary = new CanaryRestartJenkinsTest();

    @Test
    void aGatePendingAcrossARestartIsDecidedAfterIt(TestCluster cluster) throws Throwable {
        String[] id = new String[1];
        sessions.then(j -> {
            canary.dir = java.nio.file.Files.createTempDirectory("gate");
            canary.job(j, cluster, "50%, approval, 100%");
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).scheduleBuild2(0).waitForStart();
            id[0] = ApprovalGatePipelineJenkinsTest.waitForGate(b).getId();
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            ApprovalsAction.Pending gate = ApprovalGatePipelineJenkinsTest.waitForGate(b);
            assertEquals(id[0], gate.getId(), "the same wait, shown again");
            j.waitForMessage("Proceed or Abort on the build page", b);

            assertEquals(302, ApprovalGatePipelineJenkinsTest.post(j, b, null, "proceed", id[0], null),
                    "no security: anyone may decide");

            j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
            j.assertLogContains("outcome=SUCCEEDED", b);
            assertEquals("proceed", b.getAction(ApprovalsAction.class).getDecided().get(0).getOutcome());
            assertEquals("registry.example/web:2", canary.image(cluster, "web"));
            assertNull(canary.image(cluster, "web-canary"));
        });
    }
}
