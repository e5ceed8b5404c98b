package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import java.io.Serializable;
import java.time.Duration;

/**
 * A switch of a blue-green app, over to its preview or back to the colour that served before, as plain data.
 *
 * @param target the app; its namespace may be {@code null} (the connection's default, else "default")
 * @param scaleDownDelay how long the colour left keeps its pods, for an instant switch back (default 30 s)
 * @param timeout switching back to a colour already scaled down: how long to wait for it to be available again
 * @param waitForScaleDown after the switch, wait until the colour left has been scaled down (what the blocking
 *     command does by default); otherwise the next deploy or switch of the app scales it down
 * @param analysis the analysis to run after a switch over (the new colour against the old one, which keeps its pods
 *     until it passed; failed or error switches back at once); {@code null} for none; not used switching back
 */
public record BlueGreenSwitchRequest(
        BlueGreenTarget target, Duration scaleDownDelay, Duration timeout, boolean waitForScaleDown, String analysis)
        implements Serializable {

    public BlueGreenSwitchRequest {
        if (target == null) {
            throw new IllegalArgumentException("a switch needs its app");
        }
        scaleDownDelay = scaleDownDelay == null ? BlueGreenRequest.DEFAULT_SCALE_DOWN_DELAY : scaleDownDelay;
        timeout = timeout == null ? DeployRequest.DEFAULT_TIMEOUT : timeout;
        analysis = analysis == null || analysis.isBlank() ? null : analysis.trim();
    }

    /** Without a post-switch analysis. */
    public BlueGreenSwitchRequest(BlueGreenTarget target, Duration scaleDownDelay, Duration timeout,
            boolean waitForScaleDown) {
        this(target, scaleDownDelay, timeout, waitForScaleDown, null);
    }

    /** The same switch, analysed after it by {@code name}. */
    public BlueGreenSwitchRequest withAnalysis(String name) {
        return new BlueGreenSwitchRequest(target, scaleDownDelay, timeout, waitForScaleDown, name);
    }

    /** The defaults: 30 s delay, 10 min timeout, no waiting for the scale-down. */
    public static BlueGreenSwitchRequest of(BlueGreenTarget target) {
        return new BlueGreenSwitchRequest(target, null, null, false, null);
    }
}
