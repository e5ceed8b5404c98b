package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import java.io.IOException;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The cluster parameters every freestyle build step of this plugin takes: which credential, and where the cluster is.
 *
 * <p>Freestyle only: the build steps are not {@code SimpleBuildStep}s and carry no symbol, so Pipeline has exactly
 * the four steps ({@code k8sDeploy}, {@code canaryPromote}, {@code blueGreenSwitch}, {@code k8sRollback}), which hold
 * no thread while they wait and survive a restart, and no second, blocking variant of each through {@code step}.
 */
public abstract class ClusterBuilder extends Builder implements ClusterTarget {
    private String credentialsId;
    private String serverUrl;
    private String caCertificate;
    private String context;
    private String cluster;

    @Override
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @Override
    public String getServerUrl() {
        return serverUrl;
    }

    @DataBoundSetter
    public void setServerUrl(String serverUrl) {
        this.serverUrl = Util.fixEmptyAndTrim(serverUrl);
    }

    @Override
    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = Util.fixEmptyAndTrim(caCertificate);
    }

    @Override
    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    @Override
    public String getCluster() {
        return cluster;
    }

    /** A cluster named in the global configuration (Manage Jenkins > System); see {@link NamedClusters}. */
    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = Util.fixEmptyAndTrim(cluster);
    }

    @Override
    public final boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
            throws InterruptedException, IOException {
        FilePath workspace = build.getWorkspace();
        if (workspace == null) {
            throw new AbortException("The build has no workspace: its node is offline or was removed.");
        }
        perform(build, workspace, build.getEnvironment(listener), launcher, listener);
        return true;
    }

    /** Runs the build step in {@code workspace}; throws {@link AbortException} with a clear message when it fails. */
    protected abstract void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException;
}
