package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.util.FormValidation;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.io.Serial;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * {@code canaryPromote}: moves a canary on from outside its plan. With no option it promotes past the current pause or
 * approval of the pipeline that drives the canary (or fully, when nobody drives it any more); {@code weight} moves a
 * canary nobody drives to that weight, {@code full} promotes fully, {@code abort} sends all traffic back to stable.
 * Waits without holding a thread until it is done; returns the record as a map.
 *
 * <pre>
 * canaryPromote app: 'web', namespace: 'shop', credentialsId: 'prod-kubeconfig'
 * </pre>
 */
public class CanaryPromoteStep extends ClusterStep implements CanaryPromoteSettings {
    private final String app;
    private String weight;
    private boolean full;
    private boolean abort;

    @DataBoundConstructor
    public CanaryPromoteStep(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    @Override
    public String getApp() {
        return app;
    }

    @Override
    public String getWeight() {
        return weight;
    }

    /** A String, so that an empty form field means "no weight" (an Integer field would bind it as 0). */
    @DataBoundSetter
    public void setWeight(String weight) {
        this.weight = Util.fixEmptyAndTrim(weight);
    }

    @Override
    public boolean isFull() {
        return full;
    }

    @DataBoundSetter
    public void setFull(boolean full) {
        this.full = full;
    }

    @Override
    public boolean isAbort() {
        return abort;
    }

    @DataBoundSetter
    public void setAbort(boolean abort) {
        this.abort = abort;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            return new Execution(this, context, Requests.canaryPromote(this));
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /**
     * Hands the command to the pipeline that drives the canary and waits until it took it, or carries it out itself;
     * either way on a timer, see {@link RolloutExecution}. A stopped build leaves the canary where it is.
     */
    static final class Execution extends RolloutExecution {
        @Serial
        private static final long serialVersionUID = 1L;
        private final CanaryPromoteRequest request;
        private transient volatile boolean stopped;
        /** The user the build runs as, when not the system (an authorization plugin set one). */
        private String runAs;

        Execution(CanaryPromoteStep step, StepContext context, CanaryPromoteRequest request) {
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

    @Extension
    public static final class DescriptorImpl extends ClusterStepDescriptor {
        @Override
        public String getFunctionName() {
            return "canaryPromote";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CanaryPromoteStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public FormValidation doCheckApp(@QueryParameter String value) {
            return FormChecks.app(value);
        }

        public FormValidation doCheckWeight(@QueryParameter String value) {
            return FormChecks.weight(value);
        }
    }
}
