package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;

/**
 * The job page's "last deployed version per environment" ({@code jobMain.jelly}): {@link LastDeployed} over the
 * rollouts of the job's last {@value #MAX_BUILDS} builds. Nothing is shown for a job that deployed nothing in them.
 * Computed when the page asks, once per page.
 */
public final class LastDeployedAction implements Action {
    /** How many builds back the job page looks: reading more would slow the page of a busy job. */
    static final int MAX_BUILDS = 50;

    private final Job<?, ?> job;
    private transient List<LastDeployed.Environment> environments;

    LastDeployedAction(Job<?, ?> job) {
        this.job = job;
    }

    public List<LastDeployed.Environment> getEnvironments() {
        if (environments == null) {
            List<LastDeployed.Build> builds = new ArrayList<>();
            Run<?, ?> r = job.getLastBuild();
            for (int i = 0; i < MAX_BUILDS && r != null; i++, r = r.getPreviousBuild()) {
                RolloutsAction a = r.getAction(RolloutsAction.class);
                if (a != null) {
                    builds.add(new LastDeployed.Build(r.getNumber(), r.getDisplayName(), r.getTimeInMillis(),
                            a.getRollouts().stream().map(RolloutView::record).toList()));
                }
            }
            environments = LastDeployed.of(builds);
        }
        return environments;
    }

    public int getMaxBuilds() {
        return MAX_BUILDS;
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return Messages.LastDeployedAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return null;
    }

    /** Gives every job the action; it costs nothing until its page fragment asks for the environments. */
    @Extension
    @SuppressWarnings("rawtypes")
    public static final class Factory extends TransientActionFactory<Job> {
        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Job target) {
            return List.of(new LastDeployedAction(target));
        }
    }
}
