package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.DeployProgress;
import io.jenkins.plugins.k8sdeploy.engine.RollbackEngine;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import java.io.Serial;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code k8sRollback}: starts the rollback on a timer thread, then waits without holding one; see
 * {@link ProgressExecution}.
 */
final class K8sRollbackExecution extends ProgressExecution {
    @Serial
    private static final long serialVersionUID = 1L;
    private final RollbackRequest request;

    K8sRollbackExecution(K8sRollbackStep step, StepContext context) {
        super(context, step, false);
        this.request = RollbackRequest.of(step);
    }

    @Override
    protected DeployProgress begin(ClusterConnection connection, Consumer<String> log) throws Exception {
        return new RollbackEngine().begin(connection, request.target(), request.namespace(connection),
                request.toRevision(), request.timeout(), log);
    }
}
