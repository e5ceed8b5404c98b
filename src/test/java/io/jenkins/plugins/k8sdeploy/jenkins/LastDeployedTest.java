package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.WorkloadResult;
import io.jenkins.plugins.k8sdeploy.jenkins.LastDeployed.Build;
import io.jenkins.plugins.k8sdeploy.jenkins.LastDeployed.Environment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job page's "last deployed version per environment", as a function of recent builds' rollout records. */
class LastDeployedTest {
    private static final String PROD = "https://prod.example:6443";
    private static final String STAGING = "https://staging.example:6443";
    private static final Instant T = Instant.parse("2025-03-14T09:00:00Z");

    private static DeployRecord rolling(String server, DeployRecord.Outcome outcome, WorkloadResult... workloads) {
        return new DeployRecord(server, outcome, T, T.plusSeconds(60), 60_000, 10, List.of(), List.of(workloads),
                List.of(), List.of(), null);
    }

    private static WorkloadResult workload(String name, String ns, String status, String image) {
        return new WorkloadResult("Deployment", name, ns, 1, 2, List.of("old"), List.of(image), status, "");
    }

    private static DeployRecord blueGreen(String colour, String image, StrategyEvent... events) {
        return new DeployRecord(PROD, DeployRecord.Outcome.SUCCEEDED, T, T.plusSeconds(60), 60_000, 10, List.of(),
                List.of(new WorkloadResult("Deployment", "web-" + colour, "shop", 0, 1, List.of(), List.of(image),
                        "DONE", colour + " serves")), List.of(), List.of(), null, DeployRecord.Strategy.BLUE_GREEN, "web",
                List.of(events));
    }

    private static Build build(int n, DeployRecord... records) {
        return new Build(n, "#" + n, T.plusSeconds(n).toEpochMilli(), List.of(records));
    }

    private static List<String> summary(List<Environment> envs) {
        return envs.stream().map(e -> e.server() + " " + e.namespace() + " " + e.app() + " " + e.getVersion()
                + " #" + e.build()).toList();
    }

    @Test
    void aPromotedCanaryIsTheVersionItsEnvironmentRuns() {
        List<Environment> envs = LastDeployed.of(List.of(build(7, RecordFixtures.promoted())));

        assertEquals(List.of("https://10.0.0.1:6443 shop web registry.example/shop/web:1.5.0 #7"), summary(envs));
        Environment e = envs.get(0);
        assertEquals("canary", e.strategy());
        assertEquals("2025-03-14T09:15:00Z", e.getDeployedAt());
        assertEquals("#7", e.getBuildName());
    }

    @Test
    void theNewestBuildWinsAndAnAbortedCanaryLeavesTheVersionBeforeIt() {
        List<Environment> envs = LastDeployed.of(List.of(
                build(9, RecordFixtures.analysisFailed()), // aborted by its analysis: 2.0.0 still serves
                build(8, RecordFixtures.analysisPassed()), // promoted 2.0.0
                build(7, rolling("https://127.0.0.1:46443", DeployRecord.Outcome.SUCCEEDED,
                        workload("web", "demo", "DONE", "web=registry.example/demo/web:1.0.0")))));

        assertEquals(List.of("https://127.0.0.1:46443 demo web web=registry.example/demo/web:2.0.0 #8"),
                summary(envs));
    }

    @Test
    void aCanaryLeftShortOf100PercentDoesNotCount() {
        DeployRecord r = RecordFixtures.promoted();
        DeployRecord at50 = new DeployRecord(r.server(), r.outcome(), r.started(), r.finished(), r.durationMillis(),
                r.apiRequests(), r.objects(), r.workloads(), r.rollbacks(), r.timeline(), null, r.strategy(), r.app(),
                r.events().subList(0, 5));

        assertEquals(List.of(), LastDeployed.of(List.of(build(3, at50))));
    }

    @Test
    void aRollingDeployCountsEachWorkloadThatRolledOutButNotDryRunsOrFailures() {
        List<Environment> envs = LastDeployed.of(List.of(
                build(5, rolling(PROD, DeployRecord.Outcome.DRY_RUN, workload("web", "shop", "DONE", "web:9"))),
                build(4, rolling(PROD, DeployRecord.Outcome.FAILED, workload("web", "shop", "FAILED", "web:8"))),
                build(3, rolling(PROD, DeployRecord.Outcome.SUCCEEDED, workload("web", "shop", "DONE", "web:3"),
                        workload("worker", "shop", "DONE", "worker:3"))),
                build(2, rolling(STAGING, DeployRecord.Outcome.SUCCEEDED, workload("web", "shop", "DONE", "web:2"))),
                build(1, rolling(PROD, DeployRecord.Outcome.SUCCEEDED, workload("db", "data", "DONE", "db:1")))));

        assertEquals(List.of(
                "https://prod.example:6443 data db db:1 #1",
                "https://prod.example:6443 shop web web:3 #3",
                "https://prod.example:6443 shop worker worker:3 #3",
                "https://staging.example:6443 shop web web:2 #2"), summary(envs));
    }

    @Test
    void withinABuildTheRolloutThatEndedLastWins() {
        List<Environment> envs = LastDeployed.of(List.of(build(4,
                rolling(PROD, DeployRecord.Outcome.SUCCEEDED, workload("web", "shop", "DONE", "web:2")),
                rolling(PROD, DeployRecord.Outcome.SUCCEEDED, workload("web", "shop", "DONE", "web:1")))));

        assertEquals(List.of("https://prod.example:6443 shop web web:1 #4"), summary(envs),
                "a k8sRollback after a deploy: the version it went back to serves");
    }

    @Test
    void blueGreenCountsOnceSwitchedKeyedByTheAppNotTheColour() {
        StrategyEvent start = new StrategyEvent(T, StrategyEvent.Type.START, 0, "deploy");
        StrategyEvent preview = new StrategyEvent(T.plusSeconds(30), StrategyEvent.Type.PAUSE, 0, "preview ready");
        StrategyEvent switched = new StrategyEvent(T.plusSeconds(40), StrategyEvent.Type.SWITCH, 100, "switched");

        assertEquals(List.of(), LastDeployed.of(List.of(build(2, blueGreen("green", "web:2", start, preview)))),
                "a preview serves nobody");
        assertEquals(List.of("https://prod.example:6443 shop web web:2 #3"), summary(LastDeployed.of(List.of(
                build(3, blueGreen("green", "web:2", start, switched)),
                build(2, blueGreen("blue", "web:1", start, switched))))));
    }
}
