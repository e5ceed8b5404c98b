package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import java.time.Duration;

/**
 * A switch of a blue-green app, over to its preview or back to the colour that served before, as plain data.
 *
 * @param target the app; its namespace may be {@code null} (the connection's default, else "default")
 * @param scaleDownDelay how long the colour left keeps its pods, for an instant switch back (default 30 s)
 * @param timeout switching back to a colour already scaled down: how long to wait for it to be available again
 * @param waitForScaleDown after the switch, wait until the colour left has been scaled down (what the blocking
 *     command does by default); otherwise the next deploy or switch of the app scales it down
 */
public record BlueGreenSwitchRequest(
        BlueGreenTarget target, Duration scaleDownDelay, Duration timeout, boolean waitForScaleDown) {

    public BlueGreenSwitchRequest {
        if (target == null) {
            throw new IllegalArgumentException("a switch needs its app");
        }
        scaleDownDelay = scaleDownDelay == null ? BlueGreenRequest.DEFAULT_SCALE_DOWN_DELAY : scaleDownDelay;
        timeout = timeout == null ? DeployRequest.DEFAULT_TIMEOUT : timeout;
    }

    /** The defaults: 30 s delay, 10 min timeout, no waiting for the scale-down. */
    public static BlueGreenSwitchRequest of(BlueGreenTarget target) {
        return new BlueGreenSwitchRequest(target, null, null, false);
    }
}
