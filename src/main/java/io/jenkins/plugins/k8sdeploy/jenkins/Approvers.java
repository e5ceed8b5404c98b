package io.jenkins.plugins.k8sdeploy.jenkins;

import java.util.Collection;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Who may decide an approval, as pipeline-input-step decides it: administrators always; when submitters are named,
 * a user whose id, or one of whose groups, is among them (compared with the security realm's id strategies); when none
 * are named, whoever may build the job. Anonymous matches no named submitter. Plain Java: the Jenkins glue passes in
 * the current user, its groups, the two comparisons and the two permission checks.
 */
final class Approvers {
    private Approvers() {}

    /** The answer: allowed, or refused with a message saying who may decide. */
    record Verdict(boolean allowed, String message) {
        static final Verdict ALLOWED = new Verdict(true, null);
    }

    /**
     * @param userId the current user's id; {@code null} for anonymous
     * @param groups the current user's groups (authorities)
     * @param submitters user ids or group names; empty for "whoever may build the job"
     * @param sameUser the security realm's user id comparison
     * @param sameGroup the security realm's group id comparison
     */
    static Verdict check(String userId, Collection<String> groups, List<String> submitters,
            BiPredicate<String, String> sameUser, BiPredicate<String, String> sameGroup, boolean canBuild,
            boolean isAdmin) {
        if (isAdmin) {
            return Verdict.ALLOWED;
        }
        String who = userId == null ? "anonymous" : userId;
        if (submitters.isEmpty()) {
            return canBuild ? Verdict.ALLOWED : new Verdict(false, who + " may not decide this approval: it is open"
                    + " to whoever may build the job, and " + who + " lacks the Job/Build permission.");
        }
        if (userId != null && matches(userId, groups, submitters, sameUser, sameGroup)) {
            return Verdict.ALLOWED;
        }
        return new Verdict(false, who + " may not decide this approval: only " + String.join(", ", submitters)
                + " (or an administrator) may.");
    }

    private static boolean matches(String userId, Collection<String> groups, List<String> submitters,
            BiPredicate<String, String> sameUser, BiPredicate<String, String> sameGroup) {
        for (String s : submitters) {
            if (sameUser.test(s, userId)) {
                return true;
            }
            for (String g : groups) {
                if (sameGroup.test(s, g)) {
                    return true;
                }
            }
        }
        return false;
    }
}
