package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * The rollouts of one build: every k8sDeploy, k8sRollback, canaryPromote and blueGreenSwitch (step or build step)
 * that produced a record. The build page shows a row per rollout ({@code summary.jelly}), {@code k8s-rollouts/} lists
 * them, {@code k8s-rollouts/N/} shows one as the HTML report does, and {@code api/json} exports them.
 *
 * <p>The records live in the build directory ({@link RecordFiles}), read when a page first asks; {@code build.xml}
 * holds only this action's class name.
 */
@ExportedBean
public final class RolloutsAction implements RunAction2 {
    static final String URL_NAME = "k8s-rollouts";
    private static final Logger LOGGER = Logger.getLogger(RolloutsAction.class.getName());
    /** Serializes the writers of every build: a record is written once per rollout, so one lock costs nothing. */
    private static final Object WRITE_LOCK = new Object();

    private transient volatile Run<?, ?> run;
    private transient volatile List<RolloutView> rollouts;

    /**
     * Adds {@code record} to the build's rollouts: creates the action on the first one (and saves the build), writes
     * the record's file. Safe from parallel branches. A record that cannot be written is logged, not thrown: the
     * rollout itself happened, and its outcome must reach the build.
     */
    static void record(@CheckForNull Run<?, ?> run, @CheckForNull DeployRecord record) {
        if (run == null || record == null) {
            return;
        }
        synchronized (WRITE_LOCK) {
            try {
                RolloutsAction action = run.getAction(RolloutsAction.class);
                boolean first = action == null;
                if (first) {
                    action = new RolloutsAction();
                    action.run = run;
                }
                action.append(record);
                if (first) {
                    run.addAction(action);
                    run.save();
                }
                LastDeployedAction.recorded();
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "Cannot record a rollout of " + run.getExternalizableId() + " for its build"
                        + " page.", e);
            }
        }
    }

    /** {@link #record(Run, DeployRecord)} for a Pipeline step, whose build comes from its context. */
    static void record(StepContext context, @CheckForNull DeployRecord record) {
        if (record == null) {
            return;
        }
        try {
            record(context.get(Run.class), record);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Cannot find the build of a finished rollout to record it.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void append(DeployRecord record) throws IOException {
        List<RolloutView> all = new ArrayList<>(getRollouts());
        all.add(RecordFiles.append(run.getRootDir().toPath(), record));
        rollouts = List.copyOf(all);
    }

    /**
     * The build's rollouts, in the order they ended; read from the build directory the first time. In the REST API
     * from {@code depth=1} on the build (or with {@code tree=}), so that a job's {@code api/json?depth=1}, which shows
     * every build at depth 0, reads no record file.
     */
    @Exported(visibility = 1)
    public List<RolloutView> getRollouts() {
        List<RolloutView> r = rollouts;
        if (r == null) {
            if (run == null) {
                return List.of(); // not attached to a build (yet)
            }
            synchronized (this) { // so a page reading the files cannot overwrite a rollout appended meanwhile
                if (rollouts == null) {
                    rollouts = List.copyOf(RecordFiles.read(run.getRootDir().toPath()));
                }
                r = rollouts;
            }
        }
        return r;
    }

    /** The rollout numbered {@code n} (1 for the first), or null. */
    @CheckForNull
    public RolloutView getRollout(int n) {
        for (RolloutView v : getRollouts()) {
            if (v.getNumber() == n) {
                return v;
            }
        }
        return null;
    }

    /** {@code k8s-rollouts/N/}: one rollout's page; anything else is not found. */
    @CheckForNull
    public RolloutView getDynamic(String token, StaplerRequest2 req, StaplerResponse2 rsp) {
        return token.matches("[1-9][0-9]{0,8}") ? getRollout(Integer.parseInt(token)) : null;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    @Override
    public String getIconFileName() {
        return "symbol-cloud";
    }

    @Override
    public String getDisplayName() {
        return Messages.RolloutsAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }
}
