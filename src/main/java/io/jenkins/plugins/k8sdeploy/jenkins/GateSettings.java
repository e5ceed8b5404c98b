package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An approval gate's parameters ({@code approval: [message:, submitter:, timeout:, onTimeout:]}) in plain types, and
 * their mapping to the engine's {@link Approval.Policy}. Plain Java, so it is tested offline; {@link ApprovalGate} is
 * the Jenkins bean that carries them.
 */
final class GateSettings {
    static final String ABORT = "abort";
    static final String PROCEED = "proceed";

    private GateSettings() {}

    /**
     * The policy for a canary's approval waits. Blank values mean the engine's defaults: its own message, no timeout,
     * abort on timeout ("proceed" is only meaningful with a timeout, and is refused without one).
     */
    static Approval.Policy policy(String message, String timeout, String onTimeout) throws DeployException {
        String m = blank(message);
        String t = blank(timeout);
        Duration d = t == null ? null : Durations.parse(t);
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new DeployException("approval timeout must be longer than zero; got '" + timeout + "'.");
        }
        boolean proceed = proceedOnTimeout(onTimeout);
        if (proceed && d == null) {
            throw new DeployException("approval onTimeout: 'proceed' needs a timeout, such as timeout: '30m'.");
        }
        return new Approval.Policy(m, d, proceed);
    }

    /** "abort" (default) or "proceed", in any case. */
    static boolean proceedOnTimeout(String onTimeout) throws DeployException {
        String v = blank(onTimeout);
        if (v == null || v.toLowerCase(Locale.ROOT).equals(ABORT)) {
            return false;
        }
        if (v.toLowerCase(Locale.ROOT).equals(PROCEED)) {
            return true;
        }
        throw new DeployException("approval onTimeout must be 'abort' or 'proceed'; got '" + onTimeout + "'.");
    }

    /**
     * The submitters: user ids or group names separated by commas, trimmed, blanks dropped. Empty means "whoever may
     * build the job".
     */
    static List<String> submitters(String submitter) {
        List<String> out = new ArrayList<>();
        if (submitter != null) {
            for (String s : submitter.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return List.copyOf(out);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
