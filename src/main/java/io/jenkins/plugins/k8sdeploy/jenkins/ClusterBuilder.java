package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import java.io.IOException;

/**
 * A freestyle build step of this plugin: it does in freestyle what its Pipeline step {@code S} does, with the same
 * fields, so it takes them as one instance of that step, bound from the same flat form (see
 * {@link ClusterBuilderDescriptor}). The parameters, their defaults and their normalisation are written once, in the
 * step; a field the build step's form does not show (a step's {@code approval}) stays unset.
 *
 * <p>Freestyle only: the build steps are not {@code SimpleBuildStep}s and carry no symbol, so Pipeline has exactly
 * the four steps ({@code k8sDeploy}, {@code canaryPromote}, {@code blueGreenSwitch}, {@code k8sRollback}), which hold
 * no thread while they wait and survive a restart, and no second, blocking variant of each through {@code step}.
 */
public abstract class ClusterBuilder<S extends ClusterStep> extends Builder {
    private final S step;

    protected ClusterBuilder(S step) {
        this.step = step;
    }

    /** The parameters, as the Pipeline step that takes the same ones. */
    public S getStep() {
        return step;
    }

    @Override
    public final boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
            throws InterruptedException, IOException {
        FilePath workspace = build.getWorkspace();
        if (workspace == null) {
            throw new AbortException("The build has no workspace: its node is offline or was removed.");
        }
        perform(build, workspace, build.getEnvironment(listener), listener);
        return true;
    }

    /** Runs the build step in {@code workspace}; throws {@link AbortException} with a clear message when it fails. */
    protected abstract void perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws InterruptedException, IOException;
}
