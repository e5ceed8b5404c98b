package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The form support every freestyle build step of this plugin shares; applicable to every kind of project. Each build
 * step does in freestyle what one Pipeline step does and takes the same fields, so a field's help is written once, in
 * the Pipeline step's folder, and the build step shows it from there (its own {@code help.html} stays its own).
 */
public abstract class ClusterBuilderDescriptor extends BuildStepDescriptor<Builder> {
    private final Class<? extends Step> step;

    /** {@code step}: the Pipeline step whose help files describe this build step's fields. */
    protected ClusterBuilderDescriptor(Class<? extends Step> step) {
        this.step = step;
    }

    /**
     * The build step's own help page for the field if it has one, else the Pipeline step's. Core looks for
     * {@code help-FIELD.html} on the describable's class and its superclasses only, and the build step and the
     * Pipeline step share no superclass ({@code Builder}, {@code Step}).
     */
    @Override
    public String getHelpFile(String fieldName) {
        String own = super.getHelpFile(fieldName);
        if (own != null || fieldName == null) {
            return own;
        }
        return Jenkins.get().getDescriptorOrDie(step).getHelpFile(fieldName);
    }
    @Override
    public boolean isApplicable(Class<? extends AbstractProject> jobType) {
        return true;
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(
            @AncestorInPath Item item, @QueryParameter String credentialsId, @QueryParameter String serverUrl) {
        return ClusterCredentials.fill(item, credentialsId, serverUrl);
    }

    /** The clusters named in the global configuration; see {@link NamedCluster#names}. */
    @POST
    public ListBoxModel doFillClusterItems(@AncestorInPath Item item, @QueryParameter String cluster) {
        return NamedCluster.names(item, cluster);
    }

    public FormValidation doCheckServerUrl(@QueryParameter String value) {
        return FormChecks.serverUrl(value);
    }

    public FormValidation doCheckTimeout(@QueryParameter String value) {
        return FormChecks.timeout(value);
    }
}
