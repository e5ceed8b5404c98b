package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** The form support every freestyle build step of this plugin shares; applicable to every kind of project. */
public abstract class ClusterBuilderDescriptor extends BuildStepDescriptor<Builder> {
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
