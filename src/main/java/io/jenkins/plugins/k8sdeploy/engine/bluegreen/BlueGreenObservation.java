package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenCluster.Endpoints;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.strategy.AnalysisStep;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one tick saw, as plain data: read by {@link #read} at the start of the tick, only what the phase needs, and
 * handed to {@link BlueGreenDecider}. Components a phase does not need are {@code null}.
 *
 * @param now the clock's time when the tick began
 * @param newColour WAIT_AVAILABLE, SWITCH: the Deployment of the colour to make active
 * @param services SWITCH, ANALYSIS, WAIT_SCALE_DOWN: which colours the Services select
 * @param endpoints VERIFY (against the new colour), VERIFY_BACK (against the old): what the active Service's
 *     EndpointSlices list
 * @param colours WAIT_SCALE_DOWN: both colour Deployments, by colour
 * @param analysis ANALYSIS: the running analysis's verdict, when it was polled
 */
record BlueGreenObservation(Instant now, NewColour newColour, Services services, Endpoints endpoints,
        Map<String, ColourView> colours, AnalysisStep.Polled analysis) {

    /**
     * The colour being brought up.
     *
     * @param status {@code null} when the Deployment does not exist
     * @param pods the pods of its current revision, read only while it is not available (for the diagnosis)
     */
    record NewColour(RolloutStatus status, List<Pod> pods) {
        static final NewColour MISSING = new NewColour(null, List.of());

        boolean exists() {
            return status != null;
        }
    }

    /**
     * The two Services.
     *
     * @param active the colour the active Service selects, {@code null} for none
     * @param preview the colour the preview Service selects
     */
    record Services(boolean activeExists, String active, boolean previewExists, String preview) {
        /** Only the active colour was read (ANALYSIS, WAIT_SCALE_DOWN); the existence flags are not looked at. */
        static Services active(String colour) {
            return new Services(colour != null, colour, false, null);
        }
    }

    /** One colour Deployment: {@code 0} replicas and no time when it does not exist. */
    record ColourView(int replicas, Instant scaleDownAt) {}

    /** Reads what the state's phase needs: a few requests, no writes (an analysis poll takes its measurements). */
    static BlueGreenObservation read(KubeCluster c, BlueGreenState s, Instant now) throws DeployException {
        BlueGreenTarget t = s.plan.target();
        String ns = t.namespace();
        String to = s.plan.to();
        return switch (s.phase) {
            case WAIT_AVAILABLE -> new BlueGreenObservation(now, newColour(c, t, to), null, null, null, null);
            case SWITCH -> {
                Service active = BlueGreenCluster.service(c, ns, t.activeService());
                if (active == null) {
                    yield new BlueGreenObservation(now, null, new Services(false, null, false, null), null, null,
                            null);
                }
                String current = Colours.colourOf(active.getSpec().getSelector());
                NewColour colour = to.equals(current) ? null : new NewColour(BlueGreenCluster.availability(
                        BlueGreenCluster.deployment(c, ns, t.deployment(to))), List.of());
                Service preview = BlueGreenCluster.service(c, ns, t.previewService());
                yield new BlueGreenObservation(now, colour, new Services(true, current, preview != null,
                        preview == null ? null : Colours.colourOf(preview.getSpec().getSelector())), null, null,
                        null);
            }
            case VERIFY -> new BlueGreenObservation(now, null, null, BlueGreenCluster.endpoints(c, ns,
                    t.activeService(), to), null, null);
            case VERIFY_BACK -> new BlueGreenObservation(now, null, null, BlueGreenCluster.endpoints(c, ns,
                    t.activeService(), s.plan.from()), null, null);
            case ANALYSIS -> analysis(c, s, now);
            case WAIT_SCALE_DOWN -> {
                Map<String, ColourView> colours = new LinkedHashMap<>();
                String active = BlueGreenCluster.activeColour(c, t);
                for (String colour : List.of(Colours.BLUE, Colours.GREEN)) {
                    Deployment d = BlueGreenCluster.deployment(c, ns, t.deployment(colour));
                    colours.put(colour, new ColourView(BlueGreenCluster.replicas(d), BlueGreenCluster.scaleDownAt(d)));
                }
                yield new BlueGreenObservation(now, null, Services.active(active), null, colours, null);
            }
            case SUCCEEDED, FAILED -> new BlueGreenObservation(now, null, null, null, null, null);
        };
    }

    private static NewColour newColour(KubeCluster c, BlueGreenTarget t, String to) throws DeployException {
        Deployment d = BlueGreenCluster.deployment(c, t.namespace(), t.deployment(to));
        if (d == null) {
            return NewColour.MISSING;
        }
        RolloutStatus s = BlueGreenCluster.availability(d);
        return new NewColour(s, s.isDone() ? List.of() : BlueGreenCluster.newPods(c, d));
    }

    /**
     * Nothing while a person's answer waits to be carried out; else the active colour, and the verdict when the
     * analysis runs against it and no approval is pending.
     */
    private static BlueGreenObservation analysis(KubeCluster c, BlueGreenState s, Instant now)
            throws DeployException {
        PostSwitchAnalysis a = s.analysis;
        if (a.answer != null) {
            return new BlueGreenObservation(now, null, null, null, null, null);
        }
        String active = BlueGreenCluster.activeColour(c, s.plan.target());
        AnalysisStep.Polled v = s.plan.to().equals(active) && a.approvalSince == null && a.run != null ? poll(a, now) : null;
        return new BlueGreenObservation(now, null, Services.active(active), null, null, v);
    }

    /** Polls the running analysis (it takes the measurements that are due). */
    static AnalysisStep.Polled poll(PostSwitchAnalysis a, Instant now) {
        return AnalysisStep.poll(a.run, now);
    }

    /** The new colour (canary) against the old one (stable), for the analysis: Services and pod labels by colour. */
    static CanaryServices analysisServices(KubeCluster c, BlueGreenPlan plan) throws DeployException {
        BlueGreenTarget t = plan.target();
        Service active = BlueGreenCluster.service(c, t.namespace(), t.activeService());
        Map<String, String> base = active == null || active.getSpec() == null ? Map.of()
                : Colours.baseSelector(active.getSpec().getSelector());
        Map<String, String> newPods = new LinkedHashMap<>(base);
        newPods.put(Colours.COLOUR, plan.to());
        Map<String, String> oldPods = new LinkedHashMap<>(base);
        oldPods.put(Colours.COLOUR, plan.from());
        return new CanaryServices(t.namespace(), t.previewService(), t.activeService(), oldPods, newPods);
    }
}
