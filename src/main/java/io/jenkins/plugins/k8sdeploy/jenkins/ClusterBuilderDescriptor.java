package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.function.Function;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * The form support every freestyle build step of this plugin shares; applicable to every kind of project. A build
 * step takes the same fields as its Pipeline step {@code S} and holds them as one instance of it ({@link
 * ClusterBuilder}): the form stays flat, and is bound to the step. A field's help is written once too, in the Pipeline
 * step's folder, and the build step shows it from there (its own {@code help.html} stays its own).
 */
public abstract class ClusterBuilderDescriptor<S extends ClusterStep> extends BuildStepDescriptor<Builder> {
    private final transient Class<S> step;
    private final transient Function<S, ? extends ClusterBuilder<S>> builder;

    /** {@code step}: the Pipeline step whose fields (and help) the build step made by {@code builder} takes. */
    protected ClusterBuilderDescriptor(Class<S> step, Function<S, ? extends ClusterBuilder<S>> builder) {
        this.step = step;
        this.builder = builder;
    }

    /** The Pipeline step whose form (config.jelly) the build step's form includes. */
    public Class<S> getStepClass() {
        return step;
    }

    @Override
    public boolean isApplicable(Class<? extends AbstractProject> jobType) {
        return true;
    }

    /** The form's fields are the step's, side by side as before; only the class the form names is left out. */
    @Override
    public Builder newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
        JSONObject fields = JSONObject.fromObject(formData);
        fields.remove("$class");
        fields.remove("stapler-class");
        return builder.apply(req.bindJSON(step, fields));
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
