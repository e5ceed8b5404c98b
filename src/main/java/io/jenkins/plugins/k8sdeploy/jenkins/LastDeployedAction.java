package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jenkins.model.TransientActionFactory;

/**
 * The job page's "last deployed version per environment" ({@code jobMain.jelly}): {@link LastDeployed} over the
 * rollouts of the job's last {@value #MAX_BUILDS} builds. Nothing is shown for a job that deployed nothing in them.
 *
 * <p>Kept per job and computed again only when what it is made from changed: which of the last builds have rollouts
 * (a build started, or one was deleted) or a rollout was recorded anywhere. Otherwise a render reads no record file.
 */
public final class LastDeployedAction implements Action {
    /** How many builds back the job page looks: reading more would slow the page of a busy job. */
    static final int MAX_BUILDS = 50;
    /** Bumped each time any build records a rollout: every job's summary is then computed again once. */
    private static final AtomicLong RECORDED = new AtomicLong();
    private static final Map<Job<?, ?>, Summary> SUMMARIES = Collections.synchronizedMap(new WeakHashMap<>());

    /** What a job page showed, and what it was made from. */
    private record Summary(String madeFrom, List<LastDeployed.Environment> environments) {}

    private final Job<?, ?> job;
    private transient List<LastDeployed.Environment> environments;

    LastDeployedAction(Job<?, ?> job) {
        this.job = job;
    }

    /** A build recorded a rollout: the summaries are out of date. */
    static void recorded() {
        RECORDED.incrementAndGet();
    }

    public List<LastDeployed.Environment> getEnvironments() {
        if (environments == null) {
            List<Run<?, ?>> withRollouts = new ArrayList<>();
            StringBuilder madeFrom = new StringBuilder().append(RECORDED.get());
            Run<?, ?> r = job.getLastBuild();
            for (int i = 0; i < MAX_BUILDS && r != null; i++, r = r.getPreviousBuild()) {
                if (r.getAction(RolloutsAction.class) != null) {
                    withRollouts.add(r);
                    madeFrom.append(',').append(r.getNumber());
                }
            }
            Summary known = SUMMARIES.get(job);
            if (known != null && known.madeFrom().contentEquals(madeFrom)) {
                environments = known.environments();
            } else {
                List<LastDeployed.Build> builds = new ArrayList<>();
                for (Run<?, ?> b : withRollouts) {
                    builds.add(new LastDeployed.Build(b.getNumber(), b.getDisplayName(), b.getTimeInMillis(),
                            b.getAction(RolloutsAction.class).getRollouts().stream().map(RolloutView::record)
                                    .toList()));
                }
                environments = List.copyOf(LastDeployed.of(builds));
                SUMMARIES.put(job, new Summary(madeFrom.toString(), environments));
            }
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

        /** Only a look-up of this action asks this factory. */
        @Override
        public Class<LastDeployedAction> actionType() {
            return LastDeployedAction.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Job target) {
            return List.of(new LastDeployedAction(target));
        }
    }
}
