package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.k8sdeploy.engine.RollbackEngine;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.IOException;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step for {@link K8sRollbackStep}, with the same fields, held as one {@link K8sRollbackStep}. */
public class K8sRollbackBuilder extends ClusterBuilder<K8sRollbackStep> {
    @DataBoundConstructor
    public K8sRollbackBuilder(K8sRollbackStep step) {
        super(step);
    }

    @Override
    protected void perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws InterruptedException, IOException {
        ClusterConnection cluster = ClusterCredentials.resolve(getStep(), run);
        RollbackRequest request = RollbackRequest.of(getStep());
        try {
            DeployRecord record = new RollbackEngine().rollback(cluster, request.target(), request.namespace(cluster),
                    request.toRevision(), request.timeout(), listener.getLogger()::println);
            RolloutsAction.record(run, record);
            if (!record.succeeded()) {
                throw new AbortException(record.failure());
            }
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    @Extension
    public static final class DescriptorImpl extends ClusterBuilderDescriptor<K8sRollbackStep> {
        public DescriptorImpl() {
            super(K8sRollbackStep.class, K8sRollbackBuilder::new);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.K8sRollbackBuilder_DisplayName();
        }
    }
}
