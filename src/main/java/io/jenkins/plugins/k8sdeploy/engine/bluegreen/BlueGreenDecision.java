package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.fabric8.kubernetes.api.model.Pod;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a blue-green tick does, decided by {@link BlueGreenDecider} and carried out by {@link BlueGreenActions}: values
 * a test compares. A {@code line} is what the log gets; {@code null} for nothing.
 */
sealed interface BlueGreenDecision {

    // Bringing the new colour up.

    /** Not available yet: log the progress (once per change) and look again after {@code next}. */
    record WaitForAvailability(String line, Duration next) implements BlueGreenDecision {}

    /** Available ({@code status} in words), and the plan switches: switch at once. */
    record SwitchWhenAvailable(String status) implements BlueGreenDecision {}

    /** Available, and the plan stops at the preview: done, the active colour untouched. */
    record PreviewReady(String status) implements BlueGreenDecision {}

    /**
     * The new colour failed: scale it to zero and fail, the active colour untouched. The reason gets the first
     * not-ready pod of {@code diagnose} and the recent events of {@code eventsOf}, when given.
     */
    record FailNewColour(String reason, List<Pod> diagnose, Pod eventsOf) implements BlueGreenDecision {}

    // The switch.

    /** Refused, nothing changed: the message says why. */
    record RefuseSwitch(String message) implements BlueGreenDecision {}

    /**
     * Point the active Service at the new colour ({@code changeSelector}: one merge patch; else it selects it
     * already), mark the colour as having served, and point the preview Service at the other colour when
     * {@code movePreview}.
     *
     * @param current the colour the active Service selected before
     */
    record Switch(String current, boolean changeSelector, boolean movePreview) implements BlueGreenDecision {}

    /** The EndpointSlices do not list the expected colour yet: log {@code line} (once per change), look again. */
    record WaitForEndpoints(String line, Duration next) implements BlueGreenDecision {}

    /** The EndpointSlices list only the new colour ({@code detail}); then {@code next}. */
    record Verified(String detail, AfterSwitch next) implements BlueGreenDecision {}

    /** What comes after a verified switch. */
    enum AfterSwitch {
        /** Nothing: no other colour served before. */
        DONE,
        /** The post-switch analysis; the old colour keeps its pods meanwhile. */
        ANALYSE,
        /** The old colour is scaled down after the delay. */
        SCALE_DOWN
    }

    /** The rollout failed: {@code why}. */
    record Fail(String why) implements BlueGreenDecision {}

    // The post-switch analysis and its approval (PostSwitchAnalysis).

    /** Carry out a person's answer: proceed schedules the old colour's scale-down, else switch back. */
    record CarryOutAnswer(boolean proceed, String reason) implements BlueGreenDecision {}

    /** The active Service no longer selects the new colour ({@code active} serves): stop the analysis, fail. */
    record SwitchedBackMeanwhile(String active) implements BlueGreenDecision {}

    /** An inconclusive analysis waits for a person: look again after {@code next}. */
    record WaitForApproval(Duration next) implements BlueGreenDecision {}

    /** Start the post-switch analysis, then poll it at once. */
    record StartAnalysis() implements BlueGreenDecision {}

    /** The analysis runs: poll again after {@code next}. */
    record AnalysisRunning(Duration next) implements BlueGreenDecision {}

    /** The analysis passed: schedule the old colour's scale-down. */
    record AnalysisPassed(String message) implements BlueGreenDecision {}

    /** The analysis could not tell: ask a person whether to keep the new colour. */
    record AnalysisInconclusive(String message) implements BlueGreenDecision {}

    /** The analysis failed or could not measure: switch back in this tick. */
    record AnalysisFailed(AnalysisPort.Status status, String message) implements BlueGreenDecision {}

    /**
     * Point the active Service back at the old colour (it still has its pods), the preview Service at the new one,
     * keep the new one's pods for inspection until the delay, and check the endpoints.
     */
    record SwitchBack(String reason) implements BlueGreenDecision {}

    /** The active Service's EndpointSlices list only the old colour again ({@code detail}): fail as switched back. */
    record VerifiedBack(String detail) implements BlueGreenDecision {}

    // The old colour's scale-down.

    /** The scale-down delay is zero: scale the old colour to zero now, done. */
    record ScaleDownOldNow() implements BlueGreenDecision {}

    /**
     * Mark the old colour ({@code replicas} pods) for scale-down at {@code until}; with {@code waits}, wait for it
     * (look again after {@code next}), else done.
     */
    record KeepOldColour(Instant until, int replicas, boolean waits, Duration next) implements BlueGreenDecision {}

    /** The old colour is still due for scale-down at {@code at}: look again after {@code next}. */
    record WaitForScaleDown(Instant at, Duration next) implements BlueGreenDecision {}

    /**
     * A colour that does not serve ({@code active} does) is past its scale-down time {@code at}: scale it from
     * {@code replicas} to zero, then {@code then}.
     */
    record ScaleDownExpired(String colour, int replicas, Instant at, String active, BlueGreenDecision then)
            implements BlueGreenDecision {}

    /** Finished: log {@code line} (when not null) and succeed. */
    record Done(String line) implements BlueGreenDecision {}

    /**
     * What a stop from outside (the build or the command), rolling back or not, does: decided by
     * {@link BlueGreenDecider#stop}, carried out by {@link BlueGreenStop}.
     */
    sealed interface Stop {}

    /** Stopped while waiting for the old colour's scale-down: the switch stands, done. */
    record StopWaitingForScaleDown() implements Stop {}

    /** Stopped while checking the switch back: the old colour serves, failed as switched back. */
    record StopCheckingSwitchBack() implements Stop {}

    /** Stopped without rolling back: everything is left as it is ({@code active} serves). */
    record StopAndLeave(String active) implements Stop {}

    /** Stopped, rolling back, the new colour serves and the old one is available: switch back to it. */
    record StopAndSwitchBack() implements Stop {}

    /** Stopped, rolling back, before the new colour served ({@code active} serves): scale the new colour to zero. */
    record StopAndScaleDownNew(String active) implements Stop {}

    /** Stopped, rolling back, with nothing to put back ({@code active} serves): fail, nothing changed. */
    record StopAsIs(String active) implements Stop {}
}
