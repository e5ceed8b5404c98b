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
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The freestyle build step for {@link BlueGreenSwitchStep}, with the same fields. It waits on the executor the build holds
 * anyway.
 */
public class BlueGreenSwitchBuilder extends ClusterBuilder implements BlueGreenSwitchSettings {
    private final String app;
    private String namespace;
    private String activeService;
    private String previewService;
    private boolean rollback;
    private String scaleDownDelay;
    private boolean waitForScaleDown = true;
    private String timeout;
    private String analysis;
    private String analysisYaml;
    private String analysisName;

    @DataBoundConstructor
    public BlueGreenSwitchBuilder(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    @Override
    public String getApp() {
        return app;
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
    public String getActiveService() {
        return activeService;
    }

    @DataBoundSetter
    public void setActiveService(String activeService) {
        this.activeService = Util.fixEmptyAndTrim(activeService);
    }

    @Override
    public String getPreviewService() {
        return previewService;
    }

    @DataBoundSetter
    public void setPreviewService(String previewService) {
        this.previewService = Util.fixEmptyAndTrim(previewService);
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
    public String getScaleDownDelay() {
        return scaleDownDelay;
    }

    @DataBoundSetter
    public void setScaleDownDelay(String scaleDownDelay) {
        this.scaleDownDelay = Util.fixEmptyAndTrim(scaleDownDelay);
    }

    @Override
    public boolean isWaitForScaleDown() {
        return waitForScaleDown;
    }

    @DataBoundSetter
    public void setWaitForScaleDown(boolean waitForScaleDown) {
        this.waitForScaleDown = waitForScaleDown;
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
    public String getAnalysis() {
        return analysis;
    }

    @DataBoundSetter
    public void setAnalysis(String analysis) {
        this.analysis = Util.fixEmptyAndTrim(analysis);
    }

    @Override
    public String getAnalysisYaml() {
        return analysisYaml;
    }

    @DataBoundSetter
    public void setAnalysisYaml(String analysisYaml) {
        this.analysisYaml = Util.fixEmptyAndTrim(analysisYaml);
    }

    @Override
    public String getAnalysisName() {
        return analysisName;
    }

    @DataBoundSetter
    public void setAnalysisName(String analysisName) {
        this.analysisName = Util.fixEmptyAndTrim(analysisName);
    }

    @Override
    protected void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        DeployRunner.switchOver(this, run, workspace, listener);
    }

    @Extension
    public static final class DescriptorImpl extends ClusterBuilderDescriptor {
        public DescriptorImpl() {
            super(BlueGreenSwitchStep.class);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BlueGreenSwitchBuilder_DisplayName();
        }

        public FormValidation doCheckApp(@QueryParameter String value) {
            return FormChecks.app(value);
        }

        public FormValidation doCheckScaleDownDelay(@QueryParameter String value) {
            return FormChecks.timeout(value);
        }
    }
}
