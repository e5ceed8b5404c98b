package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.prepare.Namespaces;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/** A k8sRollback's parameters, checked and kept as plain data. */
record RollbackRequest(String target, String namespace, long toRevision, String timeoutText) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    static RollbackRequest of(RollbackSettings s) {
        return new RollbackRequest(s.getTarget(), s.getNamespace(), s.getToRevision(), s.getTimeout());
    }

    /** The namespace given, else the kubeconfig context's, else "default". */
    String namespace(ClusterConnection connection) {
        return Namespaces.effective(namespace == null || namespace.isBlank() ? null : namespace, connection);
    }

    Duration timeout() throws DeployException {
        return timeoutText == null || timeoutText.isBlank() ? DeployRequest.DEFAULT_TIMEOUT
                : Durations.parse(timeoutText);
    }
}
