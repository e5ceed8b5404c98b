package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import java.io.IOException;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The freestyle build step for what {@link K8sDeployStep} does in a Pipeline, with the same fields. A freestyle
 * build holds its executor while it runs anyway, so this one waits for the rollout on it.
 */
public class K8sDeployBuilder extends ClusterBuilder implements DeploySettings {
    private final String manifests;
    private String yaml;
    private String namespace;
    private boolean pinNamespace;
    private String images;
    private boolean substitute;
    private String variables;
    private String timeout;
    private boolean rollback = true;
    private boolean dryRun;

    @DataBoundConstructor
    public K8sDeployBuilder(String manifests) {
        this.manifests = Util.fixEmptyAndTrim(manifests);
    }

    @Override
    public String getManifests() {
        return manifests;
    }

    @Override
    public String getYaml() {
        return yaml;
    }

    @DataBoundSetter
    public void setYaml(String yaml) {
        this.yaml = Util.fixEmptyAndTrim(yaml);
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
    public boolean isPinNamespace() {
        return pinNamespace;
    }

    @DataBoundSetter
    public void setPinNamespace(boolean pinNamespace) {
        this.pinNamespace = pinNamespace;
    }

    @Override
    public String getImages() {
        return images;
    }

    @DataBoundSetter
    public void setImages(String images) {
        this.images = Util.fixEmptyAndTrim(images);
    }

    @Override
    public boolean isSubstitute() {
        return substitute;
    }

    @DataBoundSetter
    public void setSubstitute(boolean substitute) {
        this.substitute = substitute;
    }

    @Override
    public String getVariables() {
        return variables;
    }

    @DataBoundSetter
    public void setVariables(String variables) {
        this.variables = Util.fixEmptyAndTrim(variables);
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
    public boolean isRollback() {
        return rollback;
    }

    @DataBoundSetter
    public void setRollback(boolean rollback) {
        this.rollback = rollback;
    }

    @Override
    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    @Override
    public void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        DeployRunner.deploy(this, env, run, workspace, listener);
    }

    @Extension
    @Symbol("k8sDeployBuilder")
    public static final class DescriptorImpl extends ClusterBuilderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.K8sDeployBuilder_DisplayName();
        }

        public FormValidation doCheckManifests(@QueryParameter String value) {
            return FormChecks.manifests(value);
        }
    }
}
