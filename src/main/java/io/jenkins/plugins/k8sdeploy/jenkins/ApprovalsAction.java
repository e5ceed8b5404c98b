package io.jenkins.plugins.k8sdeploy.jenkins;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Failure;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.SecurityRealm;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.verb.POST;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The approval gates of one build, as pipeline-input-step's {@code InputAction}: the waits still pending (shown on the
 * build page with Proceed and Abort buttons, {@code summary.jelly}) and the ones decided (who, when, what). Persisted
 * with the build: ids, texts and user ids only, no secret.
 *
 * <p>Deciding is POST-only ({@link #doProceed}, {@link #doAbort}) behind one check ({@link Approvers}). The executions
 * that wait are found through a transient registry filled by {@link RolloutExecution#approvalChanged}, which the
 * driver calls again after a controller restart; a decision for a wait with no live execution is refused with a
 * message to try again.
 */
@ExportedBean
public final class ApprovalsAction implements RunAction2 {
    static final String URL_NAME = "k8s-approvals";
    private static final Logger LOGGER = Logger.getLogger(ApprovalsAction.class.getName());
    private static final Object LOCK = new Object();

    /** What a decision is handed to: the waiting execution. */
    interface Gate {
        void decide(Approval.Decision decision);
    }

    private final List<Pending> pending = new ArrayList<>();
    private final List<Decided> decided = new ArrayList<>();
    private transient volatile Run<?, ?> run;
    private transient Map<String, Gate> gates;

    /** A wait shown on the page. {@code deadline} is epoch millis, or null for none. */
    @ExportedBean(defaultVisibility = 2)
    public static final class Pending {
        private final String id;
        private final String message;
        private final String submitter;
        private final long since;
        private final Long deadline;
        private final String step;

        Pending(Approval a, String submitter, String step) {
            this.id = a.id();
            this.message = a.message();
            this.submitter = submitter;
            this.since = (a.since() == null ? Instant.now() : a.since()).toEpochMilli();
            this.deadline = a.deadline() == null ? null : a.deadline().toEpochMilli();
            this.step = step;
        }

        @Exported
        public String getId() {
            return id;
        }

        @Exported
        public String getMessage() {
            return message;
        }

        /** Who may decide, as written; blank for whoever may build the job. */
        @Exported
        public String getSubmitter() {
            return submitter;
        }

        @Exported
        public long getSince() {
            return since;
        }

        @Exported
        public Long getDeadline() {
            return deadline;
        }

        /** Which rollout waits ("canary web at 50%"). */
        @Exported
        public String getStep() {
            return step;
        }

        public String getSinceText() {
            return Instant.ofEpochMilli(since).toString();
        }

        public String getDeadlineText() {
            return deadline == null ? null : Instant.ofEpochMilli(deadline).toString();
        }
    }

    /** A wait that ended: decided here (who, comment) or ended otherwise (timeout, stop, promoted from outside). */
    @ExportedBean(defaultVisibility = 2)
    public static final class Decided {
        static final String PROCEED = "proceed";
        static final String ABORT = "abort";
        static final String TIMED_OUT = "timed out";
        static final String ENDED = "ended without a decision here";

        private final String id;
        private final String message;
        private final String who;
        private final long when;
        private final String outcome;
        private final String comment;

        Decided(String id, String message, String who, long when, String outcome, String comment) {
            this.id = id;
            this.message = message;
            this.who = who;
            this.when = when;
            this.outcome = outcome;
            this.comment = comment;
        }

        @Exported
        public String getId() {
            return id;
        }

        @Exported
        public String getMessage() {
            return message;
        }

        /** The user id, or null when nobody decided here. */
        @Exported
        public String getWho() {
            return who;
        }

        @Exported
        public long getWhen() {
            return when;
        }

        public String getWhenText() {
            return Instant.ofEpochMilli(when).toString();
        }

        /** {@code proceed}, {@code abort}, {@code timed out} or {@code ended without a decision here}. */
        @Exported
        public String getOutcome() {
            return outcome;
        }

        @Exported
        public String getComment() {
            return comment;
        }
    }

    /**
     * A wait started (or is shown again after a restart): adds it to the build's action (creating the action on the
     * first one), registers the execution that takes the decision, saves the build.
     */
    static void waiting(Run<?, ?> run, Approval approval, String submitter, String step, Gate gate) {
        synchronized (LOCK) {
            ApprovalsAction action = run.getAction(ApprovalsAction.class);
            if (action == null) {
                action = new ApprovalsAction();
                action.run = run;
                run.addAction(action);
            }
            action.gates().put(approval.id(), gate);
            synchronized (action) {
                if (action.find(approval.id()) == null) {
                    action.pending.add(new Pending(approval, submitter, step));
                }
            }
            save(run);
        }
    }

    /** A wait ended: no longer pending; recorded as timed out or ended unless someone decided it here. */
    static void ended(Run<?, ?> run, Approval approval) {
        synchronized (LOCK) {
            ApprovalsAction action = run.getAction(ApprovalsAction.class);
            if (action == null) {
                return;
            }
            action.gates().remove(approval.id());
            synchronized (action) {
                Pending p = action.find(approval.id());
                if (p != null) {
                    action.pending.remove(p);
                    boolean late = approval.deadline() != null && !Instant.now().isBefore(approval.deadline());
                    action.decided.add(new Decided(p.id, p.message, null, System.currentTimeMillis(),
                            late ? Decided.TIMED_OUT : Decided.ENDED, null));
                }
            }
            save(run);
        }
    }

    private static void save(Run<?, ?> run) {
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Cannot save the approvals of " + run.getExternalizableId(), e);
        }
    }

    private Map<String, Gate> gates() {
        if (gates == null) {
            gates = new ConcurrentHashMap<>();
        }
        return gates;
    }

    @CheckForNull
    private Pending find(String id) {
        for (Pending p : pending) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        return null;
    }

    @Exported(visibility = 2)
    public synchronized List<Pending> getPending() {
        return List.copyOf(pending);
    }

    @Exported(visibility = 2)
    public synchronized List<Decided> getDecided() {
        return List.copyOf(decided);
    }

    /** POST {@code k8s-approvals/proceed?id=...&comment=...}: the rollout goes on. */
    @POST
    public HttpResponse doProceed(@QueryParameter String id, @QueryParameter String comment) {
        return decide(id, true, comment);
    }

    /** POST {@code k8s-approvals/abort?id=...&comment=...}: the rollout is aborted (and rolled back). */
    @POST
    public HttpResponse doAbort(@QueryParameter String id, @QueryParameter String comment) {
        return decide(id, false, comment);
    }

    private HttpResponse decide(String id, boolean proceed, String comment) {
        Pending p;
        synchronized (this) {
            p = id == null ? null : find(id);
        }
        if (p == null) {
            throw new Failure("No approval " + (id == null ? "" : "'" + id + "' ") + "is waiting in this build; it"
                    + " may have been decided already, timed out or ended.");
        }
        Authentication auth = Jenkins.getAuthentication2();
        String who = checkMayDecide(p, auth);
        if (!(auth instanceof AnonymousAuthenticationToken)) {
            // The id Jenkins knows the user by (a case-insensitive realm maps "ALICE" to the user "alice").
            User known = User.current();
            who = known != null ? known.getId() : who;
        }
        take(p, who, proceed, comment);
        return HttpResponses.redirectTo("..");
    }

    private void take(Pending p, String who, boolean proceed, String comment) {
        Gate gate = gates().get(p.id);
        if (gate == null) {
            throw new Failure("The build is not ready to take this decision (it may be resuming after a restart);"
                    + " try again in a moment.");
        }
        String note = comment == null || comment.isBlank() ? null : comment.strip();
        synchronized (this) {
            if (!pending.remove(p)) {
                throw new Failure("The approval '" + p.id + "' was decided meanwhile.");
            }
            decided.add(new Decided(p.id, p.message, who, System.currentTimeMillis(),
                    proceed ? Decided.PROCEED : Decided.ABORT, note));
        }
        save(run);
        gate.decide(new Approval.Decision(p.id, proceed, who, note));
    }

    /**
     * The gate waiting in this build, when it names submitters: only then is a decision bound to Jenkins users (an
     * open gate may also be passed by a command on the Deployment).
     */
    synchronized Pending restrictedGate() {
        return pending.stream().filter(p -> p.submitter != null).findFirst().orElse(null);
    }

    /**
     * Proceeds past {@code p} for a build step acting as one of {@code users} (user ids): the first that may decide
     * it does, and is recorded. Refused with the reason when none may.
     *
     * @throws AccessDeniedException saying who may decide, when none of {@code users} may
     */
    String proceedAs(Pending p, List<String> users, String comment) {
        AccessDeniedException refused = new AccessDeniedException("the build was neither started by a user nor runs"
                + " as one, and only " + p.submitter + " (or an administrator) may decide this approval.");
        for (String id : users) {
            User u = User.getById(id, false);
            if (u == null) {
                continue;
            }
            Authentication auth;
            try {
                auth = u.impersonate2();
            } catch (RuntimeException e) { // the security realm cannot look the user up
                continue;
            }
            try {
                checkMayDecide(p, auth);
            } catch (AccessDeniedException e) {
                refused = e;
                continue;
            }
            take(p, u.getId(), true, comment);
            return u.getId();
        }
        throw refused;
    }

    /** The name of {@code auth} when it may decide {@code p}; otherwise a 403 with a message saying who may. */
    private String checkMayDecide(Pending p, Authentication auth) {
        Jenkins jenkins = Jenkins.get();
        boolean anonymous = auth instanceof AnonymousAuthenticationToken;
        String user = anonymous ? null : auth.getName();
        List<String> groups = new ArrayList<>();
        for (GrantedAuthority a : auth.getAuthorities()) {
            groups.add(a.getAuthority());
        }
        SecurityRealm realm = jenkins.getSecurityRealm();
        Approvers.Verdict verdict = Approvers.check(user, groups, GateSettings.submitters(p.submitter),
                realm.getUserIdStrategy()::equals, realm.getGroupIdStrategy()::equals,
                run.hasPermission2(auth, Item.BUILD), jenkins.hasPermission2(auth, Jenkins.ADMINISTER));
        if (!verdict.allowed()) {
            throw new AccessDeniedException(verdict.message());
        }
        return user == null ? "anonymous" : user;
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

    /** No side-panel link: the build page's summary shows the gates. */
    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "Approvals";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }
}
