package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code k8sRollback}: puts a workload back to its previous revision (or a named one) and waits until it serves
 * again, without holding a thread. Returns the record as a map.
 *
 * <pre>
 * k8sRollback target: 'deployment/web', namespace: 'shop', credentialsId: 'prod-kubeconfig'
 * </pre>
 */
public class K8sRollbackStep extends ClusterStep implements RollbackSettings {
    private final String target;
    private long toRevision;

    @DataBoundConstructor
    public K8sRollbackStep(String target) {
        this.target = Util.fixEmptyAndTrim(target);
    }

    @Override
    public String getTarget() {
        return target;
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
    public StepExecution start(StepContext context) throws Exception {
        return new K8sRollbackExecution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends ClusterStepDescriptor {
        @Override
        public String getFunctionName() {
            return "k8sRollback";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.K8sRollbackStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
