package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.k8sdeploy.engine.RollbackEngine;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.IOException;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** The freestyle build step for {@link K8sRollbackStep}, with the same fields. */
public class K8sRollbackBuilder extends ClusterBuilder implements RollbackSettings {
    private final String target;
    private String namespace;
    private long toRevision;
    private String timeout;

    @DataBoundConstructor
    public K8sRollbackBuilder(String target) {
        this.target = Util.fixEmptyAndTrim(target);
    }

    @Override
    public String getTarget() {
        return target;
    }

    @Override
    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    @Override
    public long getToRevision() {
        return toRevision;
    }

    @DataBoundSetter
    public void setToRevision(long toRevision) {
        this.toRevision = toRevision;
    }

    @Override
    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
    }

    @Override
    protected void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        ClusterConnection cluster = ClusterCredentials.resolve(this, run);
        RollbackRequest request = RollbackRequest.of(this);
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
    public static final class DescriptorImpl extends ClusterBuilderDescriptor {
        public DescriptorImpl() {
            super(K8sRollbackStep.class);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.K8sRollbackBuilder_DisplayName();
        }
    }
}
