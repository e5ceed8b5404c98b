package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a blue-green app stands, read from the cluster: plain data.
 *
 * @param active the colour the active Service selects, or {@code null}
 * @param preview the colour the preview Service selects, or {@code null}
 * @param colours the colour Deployments that exist
 */
public record BlueGreenStatus(BlueGreenTarget target, String active, String preview, List<ColourState> colours) {

    public BlueGreenStatus {
        colours = List.copyOf(colours);
    }

    /**
     * One colour.
     *
     * @param rollout kubectl's rolled-out rule, in words ("3 of 3 replicas updated and available")
     * @param hasServed whether a switch ever made this template active
     * @param scaleDownAt when it is due to be scaled to zero, or {@code null}
     */
    public record ColourState(String colour, String deployment, int replicas, int available, List<String> images,
            String rollout, boolean hasServed, Instant scaleDownAt) {
        public ColourState {
            images = List.copyOf(images);
        }
    }

    /** For a terminal: one line for the app, one per colour. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(target.app() + " in " + target.namespace() + ": "
                + (active == null ? "no colour active" : active + " active") + " (Service " + target.activeService()
                + "), " + (preview == null ? "no preview" : preview + " previewed") + " (Service "
                + target.previewService() + ").");
        for (ColourState c : colours) {
            String role = c.colour().equals(active) ? "active" : c.colour().equals(preview) ? "preview" : "idle";
            lines.add("  " + c.colour() + ": Deployment/" + c.deployment() + ", " + role + ", " + c.available() + " of "
                    + c.replicas() + " available (" + c.rollout() + "), " + String.join(", ", c.images())
                    + (c.hasServed() ? "" : ", never served")
                    + (c.scaleDownAt() == null ? "" : ", scales down at " + c.scaleDownAt()) + ".");
        }
        return lines;
    }
}
