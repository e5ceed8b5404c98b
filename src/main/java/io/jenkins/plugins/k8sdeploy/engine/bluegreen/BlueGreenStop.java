package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAndLeave;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAndScaleDownNew;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAndSwitchBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopAsIs;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopCheckingSwitchBack;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StopWaitingForScaleDown;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import java.time.Clock;

/**
 * A stop from outside (the build was aborted, the command got a signal): read the active colour (and, when rolling
 * back to it, whether the old colour can serve), let {@link BlueGreenDecider#stop} decide, carry that out. Leaves
 * the cluster safe: with a roll-back the colour that served before serves again.
 */
final class BlueGreenStop {
    private BlueGreenStop() {}

    static void stop(String reason, boolean rollBack, BlueGreenState s, BlueGreenActions act, KubeCluster cluster,
            Clock clock) throws DeployException {
        BlueGreenPlan plan = s.plan;
        BlueGreenTarget target = plan.target();
        String ns = target.namespace();
        String active = null;
        RolloutStatus oldColour = null;
        boolean settled = s.phase == BlueGreenRollout.Phase.WAIT_SCALE_DOWN
                || s.phase == BlueGreenRollout.Phase.VERIFY_BACK;
        if (!settled) {
            active = BlueGreenCluster.activeColour(cluster, target);
            if (BlueGreenDecider.stopReadsOldColour(s, rollBack, active)) {
                oldColour = BlueGreenCluster.availability(BlueGreenCluster.deployment(cluster, ns,
                        target.deployment(plan.from())));
            }
        }
        String from = plan.from();
        String to = plan.to();
        String line;
        switch (BlueGreenDecider.stop(s, rollBack, active, oldColour)) {
            case StopWaitingForScaleDown w -> {
                act.log("Stopped waiting for the scale-down (" + reason + "): the switch to " + to + " stands; the"
                        + " next deploy or switch of " + target.app() + " scales " + from + " down after "
                        + BlueGreenCluster.rfc3339(s.scaleDownAt) + ".");
                act.succeed(null);
                return;
            }
            case StopCheckingSwitchBack c -> {
                act.log("Stopped (" + reason + ") while checking the switch back: " + from + " serves.");
                act.fail(s.failure);
                return;
            }
            case StopAndLeave l -> line = "Stopped (" + reason + "); left as it is: " + serving(l.active())
                    + " serves, Deployment/" + target.deployment(to) + " keeps its replicas.";
            case StopAndSwitchBack b -> {
                BlueGreenCluster.select(cluster, ns, target.activeService(), from);
                if (BlueGreenCluster.service(cluster, ns, target.previewService()) != null) {
                    BlueGreenCluster.select(cluster, ns, target.previewService(), to);
                }
                line = "Stopped (" + reason + "): switched Service " + target.activeService() + " back to " + from
                        + ".";
                s.event(clock.instant(), StrategyEvent.Type.SWITCH_BACK, plan.weightWhenActive(from), line);
            }
            case StopAndScaleDownNew n -> {
                BlueGreenCluster.scale(cluster, ns, target.deployment(to), 0, true);
                line = "Stopped (" + reason + "): Deployment/" + target.deployment(to) + " scaled to 0; "
                        + serving(n.active()) + " serves, untouched.";
                s.event(clock.instant(), StrategyEvent.Type.ABORT, plan.weightWhenActive(n.active()), line);
            }
            case StopAsIs a -> line = "Stopped (" + reason + "): " + serving(a.active()) + " serves.";
        }
        act.log(line);
        s.rollbacks.add(line);
        act.fail("Stopped: " + reason + ". " + line);
    }

    private static String serving(String active) {
        return active == null ? "no colour" : active;
    }
}
