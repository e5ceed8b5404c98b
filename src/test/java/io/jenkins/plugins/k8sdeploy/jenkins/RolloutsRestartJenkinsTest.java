package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A build's rollouts are still on its page after a controller restart: build.xml brings the action back, and its
 * records are read from the build directory. (Session-based: not {@link JenkinsTest}, same tag and name rule.)
 */
@Tag("jenkins")
class RolloutsRestartJenkinsTest {
    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void theRolloutsOfABuildSurviveARestart() throws Throwable {
        sessions.then(j -> {
            WorkflowRun run = RolloutsPageJenkinsTest.build(j, RolloutsPageJenkinsTest.job(j, "p"));
            RolloutsAction.record(run, RecordFixtures.promoted());
            RolloutsAction.record(run, RecordFixtures.analysisFailed());
        });
        sessions.then(j -> {
            WorkflowRun run = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            assertEquals(2, run.getAction(RolloutsAction.class).getRollouts().size());
            String page = j.createWebClient().getPage(run, "k8s-rollouts/2/").asNormalizedText();
            assertTrue(page.contains("FAILED (decided the analysis)"), page);
            String jobPage = j.createWebClient().getPage(run.getParent()).asNormalizedText();
            assertTrue(jobPage.contains("registry.example/shop/web:1.5.0"), jobPage);
        });
    }
}
