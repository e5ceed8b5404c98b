package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenCluster.Endpoints;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AfterSwitch;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisFailed;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisInconclusive;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisPassed;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisRunning;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.CarryOutAnswer;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Done;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Fail;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.FailNewColour;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.KeepOldColour;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.PreviewReady;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.RefuseSwitch;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.ScaleDownExpired;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.ScaleDownOldNow;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StartAnalysis;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAndLeave;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAndScaleDownNew;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAndSwitchBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAsIs;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopCheckingSwitchBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopWaitingForScaleDown;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Switch;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.SwitchWhenAvailable;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.SwitchedBackMeanwhile;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.Verified;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.VerifiedBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForApproval;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForAvailability;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForEndpoints;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForScaleDown;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenObservation.ColourView;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenObservation.NewColour;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenObservation.Services;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout.Operation;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout.Phase;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import io.jenkins.plugins.k8sdeploy.engine.strategy.AnalysisStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a blue-green tick decides, with a fixed time and no cluster: each row is what the tick observed and the state
 * it found (blue serves, green is the new colour, started at 12:00 with a 2 min timeout and a 5 min scale-down
 * delay), and the decision expected.
 */
class BlueGreenDeciderTest {
    static final Instant T0 = Instant.parse("2026-01-02T12:00:00Z");
    static final Instant DUE = T0.plus(Duration.ofMinutes(5));
    static final String PROGRESS = "2 of 3 updated replicas are available";
    static final String AVAILABLE = "3 of 3 updated replicas are available";
    static final Endpoints NOT_YET = new Endpoints(false, 0, "they list no ready address of a green pod yet");
    static final Endpoints GREEN = new Endpoints(true, 3, "3 address(es), all of green pods");

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String row, Supplier<?> decide, Object expected) {
        assertEquals(expected, decide.get());
    }

    static Stream<Arguments> rows() {
        BlueGreenTarget web = BlueGreenTarget.of("shop", "web");
        return Stream.of(
                // Bringing green up.
                row("green not available yet -> wait, polling every second",
                        waiting(T0.plusSeconds(30), RolloutStatus.progressing(PROGRESS)),
                        new WaitForAvailability("Waiting for Deployment/web-green (green): " + PROGRESS + ".",
                                Duration.ofSeconds(1))),
                row("green not available, 300 ms before the timeout -> look again then",
                        waiting(T0.plusMillis(119_700), RolloutStatus.progressing(PROGRESS)),
                        new WaitForAvailability("Waiting for Deployment/web-green (green): " + PROGRESS + ".",
                                Duration.ofMillis(300))),
                row("green not available at the timeout -> fail green",
                        waiting(T0.plusSeconds(120), RolloutStatus.progressing(PROGRESS)),
                        new FailNewColour("did not become available within 2 min; still " + PROGRESS, List.of(),
                                null)),
                row("green's rollout failed -> fail green",
                        waiting(T0.plusSeconds(30), RolloutStatus.failed("ProgressDeadlineExceeded")),
                        new FailNewColour("ProgressDeadlineExceeded", List.of(), null)),
                row("green's Deployment was deleted -> fail green",
                        decide(observe(T0, NewColour.MISSING), state(Phase.WAIT_AVAILABLE, plan(true))),
                        new FailNewColour("was deleted while it was being waited for", null, null)),
                row("green available, no gate -> switch",
                        waiting(T0.plusSeconds(30), RolloutStatus.done(AVAILABLE)),
                        new SwitchWhenAvailable(AVAILABLE)),
                row("green available, preview only -> preview ready, blue keeps serving",
                        decide(observe(T0, new NewColour(RolloutStatus.done(AVAILABLE), List.of())),
                                state(Phase.WAIT_AVAILABLE, plan(false))),
                        new PreviewReady(AVAILABLE)),

                // The switch.
                row("blue active, green available -> switch the selector and the preview",
                        switching(new Services(true, "blue", true, "green"), RolloutStatus.done(AVAILABLE)),
                        new Switch("blue", true, true)),
                row("green no longer available at the switch -> refuse, nothing changed",
                        switching(new Services(true, "blue", true, "green"), RolloutStatus.progressing(PROGRESS)),
                        new RefuseSwitch(BlueGreenDecider.refusal(web, "green", "blue",
                                RolloutStatus.progressing(PROGRESS)))),
                row("no active Service -> refuse",
                        switching(new Services(false, null, false, null), null),
                        new RefuseSwitch("Service/web does not exist in namespace shop, so there is nothing to"
                                + " switch. Expected the active Service of web (deploy it with its manifests first).")),
                row("the active Service already selects green -> no selector change; the preview moves to blue",
                        switching(new Services(true, "green", true, "green"), null),
                        new Switch("green", false, true)),

                // Checking the endpoints.
                row("endpoints not yet green -> wait",
                        decide(endpoints(T0.plusSeconds(10), NOT_YET), state(Phase.VERIFY, plan(true))),
                        new WaitForEndpoints("Waiting for the EndpointSlices of Service web: " + NOT_YET.detail()
                                + ".", Duration.ofMillis(100))),
                row("endpoints not green after 30 s -> fail, blue keeps its pods",
                        decide(endpoints(T0.plusSeconds(30), NOT_YET), state(Phase.VERIFY, plan(true))),
                        new Fail("Service web in shop selects green, but after 30 s its EndpointSlices (label"
                                + " kubernetes.io/service-name=web) do not show it: " + NOT_YET.detail()
                                + ". Expected the endpointslice controller to follow the selector. blue keeps its"
                                + " pods: it is not scheduled for scale-down.")),
                row("endpoints green, no analysis -> scale blue down after the delay",
                        decide(endpoints(T0, GREEN), state(Phase.VERIFY, plan(true))),
                        new Verified(GREEN.detail(), AfterSwitch.SCALE_DOWN)),
                row("endpoints green, with an analysis -> analyse, blue keeps its pods",
                        decide(endpoints(T0, GREEN), analysing(Phase.VERIFY, a -> {})),
                        new Verified(GREEN.detail(), AfterSwitch.ANALYSE)),
                row("endpoints green on a first deploy -> done",
                        decide(endpoints(T0, GREEN), state(Phase.VERIFY, plan(Operation.DEPLOY, null, true))),
                        new Verified(GREEN.detail(), AfterSwitch.DONE)),
                row("endpoints green after a switch back, analysis named -> no analysis, scale down",
                        decide(endpoints(T0, GREEN), state(Phase.VERIFY, plan(Operation.SWITCH_BACK, "blue", true)),
                                a -> a.name = "smoke"),
                        new Verified(GREEN.detail(), AfterSwitch.SCALE_DOWN)),

                // The post-switch analysis and its approval.
                row("analysis not started -> start it",
                        decide(analysis("green", null), analysing(Phase.ANALYSIS, a -> {})),
                        new StartAnalysis()),
                row("analysis running -> poll again when it says",
                        decide(analysis("green", verdict(Status.RUNNING, "2 of 5 measurements")),
                                analysing(Phase.ANALYSIS, a -> a.run = RUN)),
                        new AnalysisRunning(Duration.ofSeconds(10))),
                row("analysis passed -> scale blue down after the delay",
                        decide(analysis("green", verdict(Status.SUCCESSFUL, "5 of 5 passed")),
                                analysing(Phase.ANALYSIS, a -> a.run = RUN)),
                        new AnalysisPassed("5 of 5 passed")),
                row("analysis failed after the switch -> switch back",
                        decide(analysis("green", verdict(Status.FAILED, "error rate 7% > 1%")),
                                analysing(Phase.ANALYSIS, a -> a.run = RUN)),
                        new AnalysisFailed(Status.FAILED, "error rate 7% > 1%")),
                row("analysis could not measure -> switch back",
                        decide(analysis("green", verdict(Status.ERROR, "Prometheus did not answer")),
                                analysing(Phase.ANALYSIS, a -> a.run = RUN)),
                        new AnalysisFailed(Status.ERROR, "Prometheus did not answer")),
                row("analysis inconclusive -> ask a person",
                        decide(analysis("green", verdict(Status.INCONCLUSIVE, "too few requests")),
                                analysing(Phase.ANALYSIS, a -> a.run = RUN)),
                        new AnalysisInconclusive("too few requests")),
                row("behind the approval -> wait",
                        decide(analysis("green", null), analysing(Phase.ANALYSIS, a -> a.askApproval(T0, "Keep?"))),
                        new WaitForApproval(Duration.ofSeconds(2))),
                row("approved -> carry it out: green stays, blue scales down",
                        decide(observe(T0, null), analysing(Phase.ANALYSIS, a -> {
                            a.askApproval(T0, "Keep?");
                            a.answer(true, "approved by alice");
                        })),
                        new CarryOutAnswer(true, "approved by alice")),
                row("rejected -> carry it out: switch back",
                        decide(observe(T0, null), analysing(Phase.ANALYSIS, a -> {
                            a.askApproval(T0, "Keep?");
                            a.answer(false, "rejected by bob");
                        })),
                        new CarryOutAnswer(false, "rejected by bob")),
                row("someone switched back to blue meanwhile -> stop the analysis",
                        decide(analysis("blue", null), analysing(Phase.ANALYSIS, a -> a.run = RUN)),
                        new SwitchedBackMeanwhile("blue")),
                row("switched back, endpoints blue again -> fail as switched back",
                        decide(endpoints(T0, new Endpoints(true, 3, "3 address(es), all of blue pods")),
                                analysing(Phase.VERIFY_BACK, a -> {})),
                        new VerifiedBack("3 address(es), all of blue pods")),
                row("switched back, endpoints not blue yet -> wait quietly",
                        decide(endpoints(T0, NOT_YET), analysing(Phase.VERIFY_BACK, a -> {})),
                        new WaitForEndpoints(null, Duration.ofMillis(100))),

                // The old colour's scale-down.
                row("green serves for good, delay 5 min -> blue keeps its 3 pods until 12:05",
                        () -> BlueGreenDecider.scaleDown(3, plan(true), T0), new KeepOldColour(DUE, 3, false, null)),
                row("... and the rollout waits for it -> look again in 2 s",
                        () -> BlueGreenDecider.scaleDown(3, plan(Operation.DEPLOY, "blue", true, Duration.ofMinutes(5),
                                true), T0),
                        new KeepOldColour(DUE, 3, true, Duration.ofSeconds(2))),
                row("delay 0 -> scale blue down now",
                        () -> BlueGreenDecider.scaleDown(3, plan(Operation.DEPLOY, "blue", true, Duration.ZERO,
                                false), T0),
                        new ScaleDownOldNow()),
                row("blue has no pods -> done",
                        () -> BlueGreenDecider.scaleDown(0, plan(true), T0), new Done(null)),
                row("scale-down delay not over -> wait",
                        waitingForScaleDown(T0.plusSeconds(60), "green", new ColourView(3, DUE)),
                        new WaitForScaleDown(DUE, Duration.ofSeconds(2))),
                row("scale-down due in 1 s -> look again just after it",
                        waitingForScaleDown(DUE.minusSeconds(1), "green", new ColourView(3, DUE)),
                        new WaitForScaleDown(DUE, Duration.ofMillis(1020))),
                row("scale-down delay over -> scale blue down, done",
                        waitingForScaleDown(DUE, "green", new ColourView(3, DUE)),
                        new ScaleDownExpired("blue", 3, DUE, "green", new Done(null))),
                row("blue serves again -> done, blue keeps its pods",
                        waitingForScaleDown(DUE, "blue", new ColourView(3, null)),
                        new Done("blue is active again (switched back meanwhile), so it is not scaled down.")),
                row("blue's scale-down time was removed -> done, blue keeps its pods",
                        waitingForScaleDown(DUE, "green", new ColourView(3, null)),
                        new Done("blue is no longer scheduled for scale-down; it keeps its replicas.")),
                row("blue serves again and green is past its time -> scale green down, done",
                        decide(new BlueGreenObservation(DUE, null, Services.active("blue"), null, Map.of("blue",
                                new ColourView(3, null), "green", new ColourView(3, DUE)), null),
                                state(Phase.WAIT_SCALE_DOWN, plan(true))),
                        new ScaleDownExpired("green", 3, DUE, "blue", new Done("blue is active again (switched back"
                                + " meanwhile), so it is not scaled down."))),

                // Stopped from outside.
                row("stopped, not rolling back -> leave it as it is",
                        stop(Phase.VERIFY, Operation.DEPLOY, false, "green", null), new StopAndLeave("green")),
                row("stopped, rolling back, green serves and blue is available -> switch back",
                        stop(Phase.ANALYSIS, Operation.DEPLOY, true, "green", RolloutStatus.done(AVAILABLE)),
                        new StopAndSwitchBack()),
                row("stopped, rolling back, green serves and blue has no pods -> leave it, nothing to put back",
                        stop(Phase.VERIFY, Operation.DEPLOY, true, "green",
                                RolloutStatus.progressing("scaled to 0 replicas")),
                        new StopAsIs("green")),
                row("stopped before the switch, rolling back -> scale green to 0, blue untouched",
                        stop(Phase.WAIT_AVAILABLE, Operation.DEPLOY, true, "blue", null),
                        new StopAndScaleDownNew("blue")),
                row("a switch to the preview stopped before it switched, rolling back -> the preview keeps its pods",
                        stop(Phase.SWITCH, Operation.SWITCH, true, "blue", null), new StopAsIs("blue")),
                row("stopped while waiting for the scale-down -> the switch stands",
                        stop(Phase.WAIT_SCALE_DOWN, Operation.DEPLOY, true, "green", null),
                        new StopWaitingForScaleDown()),
                row("stopped while checking the switch back -> failed as switched back",
                        stop(Phase.VERIFY_BACK, Operation.DEPLOY, true, "blue", null), new StopCheckingSwitchBack()));
    }

    static Supplier<BlueGreenDecision.Stop> stop(Phase phase, Operation operation, boolean rollBack, String active,
            RolloutStatus blue) {
        BlueGreenState s = state(phase, plan(operation, "blue", true));
        return () -> BlueGreenDecider.stop(s, rollBack, active, blue);
    }

    static Arguments row(String name, Supplier<?> decide, Object expected) {
        return Arguments.of(name, decide, expected);
    }

    static Supplier<BlueGreenDecision> decide(BlueGreenObservation seen, BlueGreenState state) {
        return () -> BlueGreenDecider.decide(seen, state);
    }

    static Supplier<BlueGreenDecision> decide(BlueGreenObservation seen, BlueGreenState state,
            Consumer<PostSwitchAnalysis> analysis) {
        analysis.accept(state.analysis);
        return decide(seen, state);
    }

    static Supplier<BlueGreenDecision> waiting(Instant now, RolloutStatus green) {
        return decide(observe(now, new NewColour(green, List.of())), state(Phase.WAIT_AVAILABLE, plan(true)));
    }

    static Supplier<BlueGreenDecision> switching(Services services, RolloutStatus green) {
        return decide(new BlueGreenObservation(T0, green == null ? null : new NewColour(green, List.of()), services,
                null, null, null), state(Phase.SWITCH, plan(true)));
    }

    /** Green serves (or {@code active}); blue is {@code blue}; green has 3 pods and no scale-down time. */
    static Supplier<BlueGreenDecision> waitingForScaleDown(Instant now, String active, ColourView blue) {
        BlueGreenObservation seen = new BlueGreenObservation(now, null, Services.active(active), null,
                Map.of("blue", blue, "green", new ColourView(3, null)), null);
        return decide(seen, state(Phase.WAIT_SCALE_DOWN, plan(Operation.DEPLOY, "blue", true, Duration.ofMinutes(5),
                true)));
    }

    static BlueGreenObservation observe(Instant now, NewColour green) {
        return new BlueGreenObservation(now, green, null, null, null, null);
    }

    static BlueGreenObservation endpoints(Instant now, Endpoints e) {
        return new BlueGreenObservation(now, null, null, e, null, null);
    }

    static BlueGreenObservation analysis(String active, AnalysisStep.Polled v) {
        return new BlueGreenObservation(T0, null, Services.active(active), null, null, v);
    }

    static AnalysisStep.Polled verdict(Status status, String message) {
        return new AnalysisStep.Polled(new AnalysisPort.Verdict(status, message), Duration.ofSeconds(10));
    }

    static BlueGreenPlan plan(boolean switches) {
        return plan(Operation.DEPLOY, "blue", switches);
    }

    static BlueGreenPlan plan(Operation operation, String from, boolean switches) {
        return plan(operation, from, switches, Duration.ofMinutes(5), false);
    }

    static BlueGreenPlan plan(Operation operation, String from, boolean switches, Duration delay, boolean wait) {
        return new BlueGreenPlan(operation, BlueGreenTarget.of("shop", "web"), "https://10.0.0.1:6443", T0, from,
                "green", switches, delay, Duration.ofMinutes(2), wait, false, WorkloadState.NONE);
    }

    /** Started at 12:00: available by 12:02; switched at 12:00, endpoints by 12:00:30. */
    static BlueGreenState state(Phase phase, BlueGreenPlan plan) {
        BlueGreenState s = new BlueGreenState(plan);
        s.phase = phase;
        s.deadline = T0.plus(plan.timeout());
        s.verifyDeadline = T0.plus(BlueGreenDecider.VERIFY_BOUND);
        s.failure = "Analysis 'smoke' of green did not pass.";
        return s;
    }

    /** Blue to green with post-switch analysis 'smoke'. */
    static BlueGreenState analysing(Phase phase, Consumer<PostSwitchAnalysis> setUp) {
        BlueGreenState s = state(phase, plan(true));
        s.analysis.name = "smoke";
        setUp.accept(s.analysis);
        return s;
    }

    /** A run that is there; what it says is in the observation. */
    static final AnalysisPort.Run RUN = new AnalysisPort.Run() {
        @Override
        public AnalysisPort.Verdict poll(Instant now) {
            throw new AssertionError("the decider never polls");
        }

        @Override
        public Duration next() {
            return Duration.ofSeconds(10);
        }
    };
}
