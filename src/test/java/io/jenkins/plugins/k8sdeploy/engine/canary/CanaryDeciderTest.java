package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Verdict;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Abort;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.ApplyPromotion;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.AwaitApproval;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.BeginPromotion;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.CompleteAbort;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.CompletePromotion;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Fail;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Finish;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Heartbeat;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.IssueAbort;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.NextStep;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Note;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Nothing;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.PlanEnded;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.PollAnalysis;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Reached;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Replicas;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.RouteWeight;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Scale;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.StartAnalysis;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.StartPause;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.StartStep;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.TakeCommand;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryDecision.Wait;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryObservation.Workload;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRollout.Phase;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import io.jenkins.plugins.k8sdeploy.engine.traffic.RouterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canary's decisions as a table, with a fixed time and no cluster: each row is a rollout's state, what a tick
 * observed (or a verdict, or a person's answer), and the decision expected. The rollout: 10 pods, maxSurge 3,
 * maxUnavailable 2, no router, the plan {@value #PLAN}.
 */
class CanaryDeciderTest {
    private static final String PLAN = "20%, pause 1m, approval, analysis errors, 50%, 100%";
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final String DRIVER = "jenkins: job/1";
    private static final Duration POLL = Duration.ofSeconds(1);

    record Row(String name, Consumer<CanaryRollout> given, Function<CanaryRollout, CanaryDecision> when,
            CanaryDecision then) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> table() {
        Workload stable10 = settled("web", 10);
        Workload canary0 = settled("web-canary", 0);
        return Stream.of(
                // who owns the canary
                row("heartbeat when due", r -> r.lastHeartbeat = NOW.minusSeconds(15),
                        seen(stable10, canary0), new Heartbeat(NOW)),
                row("stable Deployment deleted", at(0), seen(null, null), new Finish(DeployRecord.Outcome.FAILED,
                        "Deployment/web in shop was deleted while its canary was in progress.", null)),
                row("a newer revision took over", at(0), seen(stable10, canary0, CanaryState.REVISION, "def"),
                        new Finish(DeployRecord.Outcome.FAILED, "Superseded: a newer revision of web started its own canary.",
                                new Note(StrategyEvent.Type.SUPERSEDED, null, "The canary of revision abc was replaced by"
                                        + " revision def; this run stops here and leaves the canary to the newer"
                                        + " deploy."))),
                row("canary pods all doomed", at(0), new CanaryObservation(stable10, annotations(), "1", canary0, null,
                        2, "image web:9 cannot be pulled"), new Fail("The canary cannot run: image web:9 cannot be"
                                + " pulled.", null)),

                // weight steps
                row("weight step begins: its deadline starts", at(0), seen(stable10, canary0),
                        new StartStep(20, NOW.plus(Duration.ofMinutes(5)))),
                row("next step weight: both scale within maxSurge", step(0), seen(stable10, canary0),
                        new Scale(new Replicas("web-canary", 2), new Replicas("web", 8))),
                row("weight scaled, pods not ready yet: wait", step(0),
                        seen(new Workload("web", 8, 8, 8, 2, 2L, done()), new Workload("web-canary", 2, 1, 2, 2, 2L,
                                done())), new Wait(POLL)),
                row("weight reached when both settled", step(0),
                        seen(settled("web", 8), settled("web-canary", 2)), new Reached(20, null,
                                "Canary at 20%: 2 canary and 8 stable pods ready; 2 of 10 wanted.")),
                row("weight not reached in time", step(0).andThen(r -> r.stepDeadline = NOW),
                        seen(settled("web", 8), new Workload("web-canary", 2, 0, 2, 2, 2L,
                                RolloutStatus.progressing("0 of 2 available"))),
                        new Fail("The canary did not reach 20% within 5 min: 0 of 2 available (canary), 8 of 8 stable"
                                + " pods available.", null)),

                // pauses
                row("pause begins: until one minute from now", at(1), seen(stable10, canary0),
                        new StartPause(NOW.plus(Duration.ofMinutes(1)), Duration.ofMinutes(1))),
                row("paused: wait until the time", at(1).andThen(r -> r.pauseUntil = NOW.plusMillis(400)),
                        seen(stable10, canary0), new Wait(Duration.ofMillis(400))),
                row("paused: at most a poll, to take commands", at(1).andThen(r -> r.pauseUntil = NOW.plusSeconds(50)),
                        seen(stable10, canary0), new Wait(POLL)),
                row("pause over", at(1).andThen(r -> r.pauseUntil = NOW), seen(stable10, canary0),
                        new NextStep(new Note(StrategyEvent.Type.RESUME, 20, "Pause over."))),
                row("promote command ends a pause", at(1).andThen(r -> r.pauseUntil = NOW.plusSeconds(50)),
                        command("promote"), new TakeCommand("promote", null, null, new NextStep(new Note(
                                StrategyEvent.Type.RESUME, 20, "Promoted past 'pause 1m' on request.")))),

                // approvals
                row("approval step asks", at(2), seen(stable10, canary0),
                        new AwaitApproval("Promote the canary of web beyond 20%?", NOW, null)),
                row("waiting for approval", awaiting(), seen(stable10, canary0), new Wait(POLL)),
                row("approval given by command", awaiting(), command("promote"), new TakeCommand("promote", null,
                        null, new NextStep(new Note(StrategyEvent.Type.APPROVED, 20, "Promoted past 'approval' on"
                                + " request.")))),
                row("approval given in Jenkins", awaiting(),
                        r -> CanaryDecider.approval(r, new Approval.Decision("abc-2", true, "alice", "ok")),
                        new NextStep(new Note(StrategyEvent.Type.APPROVED, 20, "Approved by alice: ok."))),
                row("approval rejected in Jenkins", awaiting(),
                        r -> CanaryDecider.approval(r, new Approval.Decision("abc-2", false, "alice", null)),
                        new Abort("rejected by alice", true, new Note(StrategyEvent.Type.REJECTED, 20,
                                "Rejected by alice."))),
                row("an answer to an approval that no longer waits", at(3),
                        r -> CanaryDecider.approval(r, new Approval.Decision("abc-2", true, "alice", null)),
                        new Nothing("The approval abc-2 is no longer waiting; ignoring proceed by alice.")),
                row("promote command refused when Jenkins alone decides", awaiting().andThen(r -> r.approvalsOnlyBy =
                        "alice"), command("promote"), new TakeCommand("promote", REFUSED, REFUSED, new Nothing(null))),
                row("no decision in time: abort", awaiting().andThen(timeout(false)), seen(stable10, canary0),
                        new Fail("No decision within 10 min on 'Promote the canary of web beyond 20%?'.", null)),
                row("no decision in time: proceed, as configured", awaiting().andThen(timeout(true)),
                        seen(stable10, canary0), new NextStep(new Note(StrategyEvent.Type.APPROVED, 20,
                                "No decision within 10 min: proceeding, as configured."))),

                // analysis
                row("analysis starts", at(3), seen(stable10, canary0), new StartAnalysis("errors")),
                row("analysis running is polled", at(3).andThen(r -> r.analysisRun = RUN), seen(stable10, canary0),
                        new PollAnalysis("errors")),
                row("analysis running: wait for its next measurement", at(3), verdict(Status.RUNNING, "1 of 5"),
                        new Wait(Duration.ofMillis(300))),
                row("analysis passed", at(3), verdict(Status.SUCCESSFUL, "5 of 5 good"), new NextStep(new Note(
                        StrategyEvent.Type.ANALYSIS, 20, "Analysis 'errors' passed: 5 of 5 good"))),
                row("analysis failed", at(3), verdict(Status.FAILED, "3 of 5 bad"), new Fail("Analysis 'errors'"
                        + " failed: 3 of 5 bad", new Note(StrategyEvent.Type.ANALYSIS, 20, "Analysis 'errors' failed: 3 of"
                                + " 5 bad"))),
                row("analysis could not measure", at(3), verdict(Status.ERROR, "no answer"), new Fail("Analysis"
                        + " 'errors' error: no answer", new Note(StrategyEvent.Type.ANALYSIS, 20, "Analysis 'errors' could"
                                + " not measure: no answer"))),
                row("analysis inconclusive: a person decides", at(3), verdict(Status.INCONCLUSIVE, "2 of 5 bad"),
                        new AwaitApproval("Analysis 'errors' was inconclusive; a person decides.", NOW, new Note(
                                StrategyEvent.Type.ANALYSIS, 20, "Analysis 'errors' was inconclusive: 2 of 5 bad"))),

                // commands and the end of the plan
                row("abort command", at(0), command("abort"), new TakeCommand("abort", null, null,
                        new Abort("aborted on request", true, null))),
                row("promote-full command", at(0), command("promote-full"), new TakeCommand("promote-full", null,
                        null, new BeginPromotion(new Note(StrategyEvent.Type.PROMOTE, 20, "Full promotion requested;"
                                + " skipping the rest of the plan.")))),
                row("promote command while not paused", step(0), command("promote"), new TakeCommand("promote", null,
                        null, new Nothing("A promotion was requested while the canary was not paused; it carries on"
                                + " with its plan."))),
                row("an expired command is ignored", at(0), command("abort id=1 at=2026-12-05T07:50:00Z"
                        + " expires=2026-12-05T07:55:00Z"), new TakeCommand("abort", null, "Ignored 'abort' written on"
                                + " Deployment/web at 2026-12-05T07:50:00Z: it expired at 2026-12-05T07:55:00Z, when"
                                + " its writer stopped waiting for it.", new Nothing(null))),
                row("last step, 100%: promote", at(5), seen(stable10, canary0),
                        new BeginPromotion(new Note(StrategyEvent.Type.PROMOTE, 20, "Promoting the canary fully."))),
                row("past the plan's end: the canary stays", at(6), seen(stable10, canary0), new PlanEnded()),

                // promotion and abort
                row("promotion applies the kept manifest", phase(Phase.PROMOTING),
                        new CanaryObservation(stable10, annotations(), "1", canary0, "{\"kind\":\"Deployment\"}", -1,
                                null), new ApplyPromotion("{\"kind\":\"Deployment\"}")),
                row("promoted stable rolled out: the canary goes to 0", phase(Phase.PROMOTING).andThen(promoted()),
                        seen(stable10, settled("web-canary", 2)), new Scale(new Replicas("web-canary", 0))),
                row("promoted and drained: done", phase(Phase.PROMOTING).andThen(promoted()).andThen(
                        r -> r.canaryDrained = true), seen(stable10, null), new CompletePromotion()),
                row("abort: canary to 0, stable back to 10", phase(Phase.ABORTING),
                        seen(settled("web", 8), settled("web-canary", 2)), new IssueAbort(true, true)),
                row("aborted: canary gone and stable back", phase(Phase.ABORTING).andThen(issued()),
                        new CanaryObservation(stable10, annotations(), "1", null, null, 0, null),
                        new CompleteAbort(null)));
    }

    static Stream<Row> withRouter() {
        return Stream.of(
                row("router, going up: the canary's pods first", step(0).andThen(r -> r.weight = 0),
                        seen(settled("web", 10), settled("web-canary", 0)), new Scale(new Replicas("web-canary", 2))),
                row("router, pods ready: traffic follows", step(0).andThen(r -> r.weight = 0), seen(settled("web", 10),
                        settled("web-canary", 2)), new RouteWeight(20)),
                row("router, traffic moved: next step", step(0).andThen(r -> r.weight = 20), seen(settled("web", 10),
                        settled("web-canary", 2)), new NextStep(null)),
                row("router, going down: traffic first", step(0).andThen(r -> r.weight = 50),
                        seen(settled("web", 10), settled("web-canary", 5)), new RouteWeight(20)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(Row row) throws DeployException {
        CanaryRollout r = rollout(null);
        row.given().accept(r);
        assertEquals(row.then(), row.when().apply(r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withRouter")
    void decidesWithARouter(Row row) throws DeployException {
        CanaryRollout r = rollout(new RouterSpec(RouterSpec.Type.GATEWAY_API, "web", List.of(), null, null,
                null));
        row.given().accept(r);
        assertEquals(row.then(), row.when().apply(r));
    }

    private static final String REFUSED = "Ignored 'promote' written on Deployment/web: the approval of this canary"
            + " is decided only in Jenkins (" + DRIVER + "), by alice or an administrator.";

    /** An analysis that measures every 300 ms. */
    private static final AnalysisPort.Run RUN = new AnalysisPort.Run() {
        @Override
        public Verdict poll(Instant now) {
            return new Verdict(Status.RUNNING, "");
        }

        @Override
        public Duration next() {
            return Duration.ofMillis(300);
        }
    };

    private static CanaryRollout rollout(RouterSpec router) throws DeployException {
        CanaryRollout r = new CanaryRollout("https://k8s", "shop", "web", DRIVER, "abc", CanaryPlan.parse(PLAN), router,
                new CanaryServices("shop", "web", "web-canary", Map.of("app", "web"), Map.of("app", "web")), false,
                Duration.ofMinutes(5), true, 10, false, 3, 2, List.of("web:1"), List.of("web:2"),
                NOW.minusSeconds(60));
        r.lastHeartbeat = NOW;
        r.weight = 20;
        return r;
    }

    private static Row row(String name, Consumer<CanaryRollout> given, CanaryObservation seen, CanaryDecision then) {
        return new Row(name, given, r -> CanaryDecider.decide(seen, r, NOW), then);
    }

    private static Row row(String name, Consumer<CanaryRollout> given, Function<CanaryRollout, CanaryDecision> when,
            CanaryDecision then) {
        return new Row(name, given, when, then);
    }

    /** At plan step {@code i}, which has not begun. */
    private static Consumer<CanaryRollout> at(int i) {
        return r -> r.step = i;
    }

    /** At plan step {@code i}, begun. */
    private static Consumer<CanaryRollout> step(int i) {
        return at(i).andThen(r -> r.stepDeadline = NOW.plus(Duration.ofMinutes(4)));
    }

    private static Consumer<CanaryRollout> awaiting() {
        return at(2).andThen(r -> {
            r.awaiting = true;
            r.approvalSince = NOW.minusSeconds(30);
            r.approvalMessage = "Promote the canary of web beyond 20%?";
        });
    }

    private static Consumer<CanaryRollout> timeout(boolean proceed) {
        return r -> {
            r.approvalPolicy = new Approval.Policy(null, Duration.ofMinutes(10), proceed);
            r.approvalSince = NOW.minus(Duration.ofMinutes(10));
        };
    }

    private static Consumer<CanaryRollout> phase(Phase p) {
        return r -> r.phase = p;
    }

    private static Consumer<CanaryRollout> promoted() {
        return r -> {
            r.promoteApplied = true;
            r.stepDeadline = NOW.plus(Duration.ofMinutes(4));
        };
    }

    private static Consumer<CanaryRollout> issued() {
        return r -> {
            r.abortIssued = true;
            r.stepDeadline = NOW.plus(Duration.ofMinutes(4));
        };
    }

    private static Function<CanaryRollout, CanaryDecision> verdict(Status status, String message) {
        return r -> CanaryDecider.verdict(r, "errors", new Verdict(status, message), Duration.ofMillis(300), NOW);
    }

    private static CanaryObservation command(String command) {
        return seen(settled("web", 10), settled("web-canary", 0), CanaryState.COMMAND, command);
    }

    private static CanaryObservation seen(Workload stable, Workload canary, String... annotations) {
        return new CanaryObservation(stable, annotations(annotations), "1", canary, null, canary == null ? -1 : 0,
                null);
    }

    private static Map<String, String> annotations(String... more) {
        Map<String, String> a = new HashMap<>(Map.of(CanaryState.REVISION, "abc", CanaryState.DRIVER, DRIVER));
        for (int i = 0; i < more.length; i += 2) {
            a.put(more[i], more[i + 1]);
        }
        return a;
    }

    /** {@code replicas} pods, all available, the status caught up. */
    private static Workload settled(String name, int replicas) {
        return new Workload(name, replicas, replicas, replicas, 2, 2L, done());
    }

    private static RolloutStatus done() {
        return RolloutStatus.done("rolled out");
    }
}
