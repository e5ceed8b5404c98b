package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.AbstractProject;
import hudson.model.Descriptor;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import java.util.function.Function;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * What every freestyle build step of this plugin shares: applicable to every kind of project, and its form is its
 * Pipeline step's. A build step takes the same fields as its Pipeline step {@code S} and holds them as one instance of
 * it ({@link ClusterBuilder}); its {@code config.jelly} includes the step's, with the step's descriptor for the field
 * checks, the drop-downs and the help, so each of those is written once, and this descriptor binds the flat form back
 * to the step.
 */
public abstract class ClusterBuilderDescriptor<S extends ClusterStep> extends BuildStepDescriptor<Builder> {
    private final transient Class<S> step;
    private final transient Function<S, ? extends ClusterBuilder<S>> builder;

    /** {@code step}: the Pipeline step whose fields (and form) the build step made by {@code builder} takes. */
    protected ClusterBuilderDescriptor(Class<S> step, Function<S, ? extends ClusterBuilder<S>> builder) {
        this.step = step;
        this.builder = builder;
    }

    /** The Pipeline step whose form (config.jelly) the build step's form includes. */
    public Class<S> getStepClass() {
        return step;
    }

    /** The descriptor that checks the form's fields, fills its drop-downs and serves its help: the step's. */
    public Descriptor<?> getStepDescriptor() {
        return Jenkins.get().getDescriptorOrDie(step);
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
}
