package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.model.Cause;
import hudson.model.Run;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.security.access.AccessDeniedException;

/**
 * canaryPromote aimed at a canary whose approval gate names submitters and waits in a build of this controller: the
 * gate is decided here, through Jenkins, for the user who started the promoting build or whom it runs as, when that
 * user is a permitted submitter; otherwise the step fails saying who may. Such a gate never takes a promotion written
 * on the Deployment (its driver refuses it), so that nobody who can merely patch the Deployment approves production.
 */
final class GatePromotions {
    private GatePromotions() {}

    /**
     * @param runAs the user the promoting build runs as, or null (the system, anonymous)
     * @return the record of the approval taken, or null when no such gate waits (the promotion then goes to the
     *     canary's driver as a command, as before)
     * @throws DeployException when the gate waits but none of the build's users may decide it
     */
    static Rollout approve(CanaryEngine engine, ClusterConnection connection, String namespace, String app,
            Run<?, ?> promoter, String runAs, Consumer<String> log) throws DeployException {
        CanaryEngine.AwaitingApproval waiting = engine.awaitingApproval(connection, namespace, app);
        String prefix = "jenkins: ";
        if (waiting == null || waiting.driver() == null || !waiting.driver().startsWith(prefix)) {
            return null;
        }
        String id = waiting.driver().substring(prefix.length());
        Run<?, ?> driving;
        try {
            driving = Run.fromExternalizableId(id);
        } catch (IllegalArgumentException | AccessDeniedException e) {
            return null;
        }
        ApprovalsAction approvals = driving == null ? null : driving.getAction(ApprovalsAction.class);
        ApprovalsAction.Pending gate = approvals == null ? null : approvals.restrictedGate();
        if (gate == null || !waiting.owns(gate.getId())) {
            // No such gate there, or the build named on the Deployment waits for another canary (the annotation
            // can be written by anyone who may patch the Deployment): the promotion goes to the driver as a command.
            return null;
        }
        List<String> users = new ArrayList<>();
        for (Cause c : promoter.getCauses()) {
            if (c instanceof Cause.UserIdCause u && u.getUserId() != null) {
                users.add(u.getUserId());
            }
        }
        if (runAs != null) {
            users.add(runAs);
        }
        String who;
        try {
            who = approvals.proceedAs(gate, users, "canaryPromote in " + promoter.getExternalizableId());
        } catch (AccessDeniedException e) {
            throw new DeployException("canaryPromote may not approve '" + gate.getMessage() + "' of " + id + ": "
                    + e.getMessage() + " canaryPromote counts only when its build was started by, or runs as, a"
                    + " permitted user; otherwise decide on the build page of " + id + ".");
        }
        return engine.approvedThroughDriver(connection, namespace, app, "Approved '" + gate.getMessage() + "' of "
                + id + " as " + who + ", through Jenkins.", log);
    }
}
