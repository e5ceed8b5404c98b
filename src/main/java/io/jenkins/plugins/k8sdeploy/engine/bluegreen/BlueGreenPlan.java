package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout.Operation;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import java.time.Duration;
import java.time.Instant;

/**
 * What a blue-green rollout was asked to do, fixed when it starts: plain data the decider reads and never changes.
 *
 * @param from the colour active when this began; {@code null} on a first deploy
 * @param to the colour to make active
 * @param switchWhenAvailable switch once {@code to} is available; false stops at "preview ready"
 * @param plainDeploymentExists a Deployment named after the app exists from before blue-green (left untouched)
 * @param before the state of {@code to}'s Deployment before this began, for the record
 */
record BlueGreenPlan(Operation operation, BlueGreenTarget target, String server, Instant started, String from,
        String to, boolean switchWhenAvailable, Duration scaleDownDelay, Duration timeout, boolean waitForScaleDown,
        boolean plainDeploymentExists, WorkloadState before) {

    /** What the new version's share of traffic is when {@code colour} is active: 100 or 0. */
    int weightWhenActive(String colour) {
        String newest = operation == Operation.SWITCH_BACK ? from : to;
        return colour != null && colour.equals(newest) ? 100 : 0;
    }

    /** Whether {@code to} replaces another colour that served (not a first deploy, not a switch to itself). */
    boolean replacesAColour() {
        return from != null && !from.equals(to);
    }
}
