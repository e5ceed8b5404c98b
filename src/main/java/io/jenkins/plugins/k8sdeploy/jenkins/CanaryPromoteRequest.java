package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * A canaryPromote's parameters, checked and kept as plain data (see {@link Requests#canaryPromote}).
 *
 * @param namespace {@code null} for the kubeconfig context's, else "default"
 * @param weight for {@link CanaryEngine.Action#WEIGHT}
 */
record CanaryPromoteRequest(String app, String namespace, CanaryEngine.Action action, int weight, Duration timeout)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Whether the step did what it was asked: an abort asked for ends with the canary ABORTED. */
    boolean succeeded(DeployRecord record) {
        return record != null && (DeployRecord.Outcome.SUCCEEDED.equals(record.outcome())
                || action == CanaryEngine.Action.ABORT && DeployRecord.Outcome.ABORTED.equals(record.outcome()));
    }
}
