package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * What a job with 100 deploying builds costs to show: the job page (its last version per environment) and the job's
 * {@code api/json?depth=1}, which lists every build. Prints {@code BENCHMARK} lines (docs/benchmarks.md has the
 * figures); asserts only what a user sees: the page shows the last version, and the job's REST API at depth 1 holds
 * no rollout record.
 */
@JenkinsTest
class JobPageCostJenkinsTest {
    static final int BUILDS = 100;
    static final int ROUNDS = 7;

    @Test
    void aJobWithAHundredDeployingBuilds(JenkinsRule j) throws Exception {
        WorkflowJob job = RolloutsPageJenkinsTest.job(j, "p");
        for (int i = 0; i < BUILDS; i++) {
            WorkflowRun r = RolloutsPageJenkinsTest.build(j, job);
            RolloutsAction.record(r, i % 2 == 0 ? RecordFixtures.promoted() : RecordFixtures.analysisFailed());
        }
        JenkinsRule.WebClient wc = j.createWebClient();
        wc.getOptions().setJavaScriptEnabled(false);

        long[] page = new long[ROUNDS];
        String text = "";
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            text = wc.getPage(job).asNormalizedText();
            page[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        long[] api = new long[ROUNDS];
        String json = "";
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            json = wc.goTo("job/p/api/json?depth=1", "application/json").getWebResponse().getContentAsString();
            api[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        long[] summary = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            job.getAction(LastDeployedAction.class).getEnvironments();
            summary[i] = (System.nanoTime() - t0) / 1_000;
        }
        System.out.println("BENCHMARK job page fragment (last version per environment), as a new page asks for it: first "
                + summary[0] + " us, median of the next " + (ROUNDS - 1) + " " + median(summary) + " us");
        System.out.println("BENCHMARK job page with " + BUILDS + " deploying builds: first " + page[0]
                + " ms, median of the next " + (ROUNDS - 1) + " " + median(page) + " ms");
        System.out.println("BENCHMARK job api/json?depth=1 with " + BUILDS + " deploying builds: first " + api[0]
                + " ms, median of the next " + (ROUNDS - 1) + " " + median(api) + " ms, " + json.length()
                + " characters");

        assertTrue(text.contains("registry.example/shop/web:1.5.0"), "the last version: " + text);
        assertTrue(json.contains("\"number\":" + BUILDS), "every build is listed");
        assertFalse(json.contains("\"outcome\""), "no rollout record at depth 1 on a job");
    }

    static long median(long[] times) {
        long[] rest = Arrays.copyOfRange(times, 1, times.length);
        Arrays.sort(rest);
        return rest[rest.length / 2];
    }
}
