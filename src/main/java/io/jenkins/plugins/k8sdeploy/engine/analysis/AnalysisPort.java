package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * The port from a rollout to its analyses: what a canary plan's {@code analysis NAME} step and a blue-green
 * post-switch analysis call. Behind it are the analyses a front end knows by name (Prometheus queries, HTTP checks,
 * the statistical judge: {@link Analyses}); the rollout only sees the verdicts. It lives here, not in a strategy's
 * package, because every strategy uses it and the analysis classes implement it.
 */
public interface AnalysisPort {

    /**
     * Starts the named analysis of the canary against stable.
     *
     * @throws DeployException when no analysis has that name (checked before the canary starts, so nothing changes)
     */
    Run start(String name, CanaryServices services, Instant now) throws DeployException;

    /** True when an analysis of this name exists; checked before anything is applied. */
    boolean knows(String name);

    /**
     * Gives a run read back from disk (after a controller restart) what it cannot keep: its providers and their
     * credentials. Returns the run to poll from now on.
     */
    default Run resume(Run run) {
        return run;
    }

    /** One analysis in progress: plain serializable state, measured a little at a time. */
    interface Run extends Serializable {
        /** Takes the measurements that are due and says where the analysis stands. Never blocks for long. */
        Verdict poll(Instant now);

        /** When to poll again. */
        Duration next();

        /** What the analysis measured and decided so far, for the deploy record; {@code null} when it keeps none. */
        default AnalysisRecord record() {
            return null;
        }
    }

    /** Where an analysis stands. */
    enum Status {
        RUNNING,
        SUCCESSFUL,
        FAILED,
        INCONCLUSIVE,
        ERROR
    }

    /** A status with what decided it, in the user's words. */
    record Verdict(Status status, String message) implements Serializable {}

    /** No analysis configured: every name is unknown. */
    AnalysisPort NONE = new AnalysisPort() {
        @Override
        public Run start(String name, CanaryServices services, Instant now) throws DeployException {
            throw new DeployException("The canary plan runs analysis '" + name + "', but no analysis of that name is"
                    + " configured.");
        }

        @Override
        public boolean knows(String name) {
            return false;
        }
    };
}
