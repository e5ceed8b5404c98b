package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import hudson.security.ACL;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.io.Serial;
import java.time.Clock;
import java.util.function.Consumer;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Hands the command to the pipeline that drives the canary and waits until it took it, or carries it out itself;
 * either way on a timer, see {@link RolloutExecution}. A stopped build leaves the canary where it is.
 */
final class CanaryPromoteExecution extends RolloutExecution {
    @Serial
    private static final long serialVersionUID = 1L;
    private final CanaryPromoteRequest request;
    private transient volatile boolean stopped;
    /** The user the build runs as, when not the system (an authorization plugin set one). */
    private String runAs;

    CanaryPromoteExecution(CanaryPromoteStep step, StepContext context, CanaryPromoteRequest request) {
        super(context, step, false);
        this.request = request;
    }

    @Override
    protected Rollout start(ClusterConnection connection, Consumer<String> log) throws Exception {
        CanaryEngine engine = new CanaryEngine(Clock.systemUTC());
        String namespace = Requests.namespace(request.namespace(), connection);
        if (request.action() == CanaryEngine.Action.PROMOTE || request.action() == CanaryEngine.Action.FULL) {
            Rollout approved = GatePromotions.approve(engine, connection, namespace, request.app(),
                    getContext().get(Run.class), runAs, log);
            if (approved != null) {
                return approved;
            }
        }
        return engine.control(connection, namespace, request.app(), request.action(), request.weight(),
                driverName(), AnalysisPort.NONE, request.timeout(), log);
    }

    @Override
    public boolean start() {
        Authentication auth = Jenkins.getAuthentication2();
        runAs = auth.equals(ACL.SYSTEM2) || auth instanceof AnonymousAuthenticationToken ? null : auth.getName();
        return super.start();
    }

    @Override
    protected String driverName() throws Exception {
        return DeployRunner.promoter(getContext().get(Run.class));
    }

    @Override
    public void stop(@NonNull Throwable cause) {
        stopped = true;
        super.stop(cause);
    }

    /** An abort that was asked for ends with the canary ABORTED: that is this step succeeding. */
    @Override
    public void failed(DeployRecord record, Throwable cause) {
        if (!stopped && request.succeeded(record)) {
            succeeded(record);
        } else {
            super.failed(record, cause);
        }
    }
}
