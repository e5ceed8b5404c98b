package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The form support every step of this plugin shares: the credential drop-down and the cluster field checks. The build
 * steps' forms are their steps' forms and use their steps' descriptors too ({@link ClusterBuilderDescriptor}).
 */
public abstract class ClusterStepDescriptor extends StepDescriptor {
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
