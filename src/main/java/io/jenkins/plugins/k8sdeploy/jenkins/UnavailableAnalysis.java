package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.io.Serial;
import java.time.Duration;
import java.time.Instant;

/**
 * The analyses of a canary whose analyses could not be made again after a controller restart (a credential deleted
 * meanwhile, say): every analysis step, the one running and those to come, ends in Error with the reason, so the
 * engine aborts the canary as it does for an analysis that cannot measure, instead of the step failing with the canary
 * left half-way and nobody driving it. Plain Java, tested without Jenkins.
 */
final class UnavailableAnalysis implements AnalysisPort {
    private final String reason;

    /** @param reason says why, in the user's words; never holds a secret */
    UnavailableAnalysis(String reason) {
        this.reason = reason;
    }

    @Override
    public Run start(String name, CanaryServices services, Instant now) {
        return new Failing(reason, null);
    }

    /** Every name: the plan was checked against the real analyses when the canary started. */
    @Override
    public boolean knows(String name) {
        return true;
    }

    @Override
    public Run resume(Run run) {
        return run instanceof Failing ? run : new Failing(reason, run);
    }

    /** An analysis that can only say why it cannot measure; keeps what the run before it recorded. */
    static final class Failing implements Run {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String reason;
        private final Run before;

        Failing(String reason, Run before) {
            this.reason = reason;
            this.before = before;
        }

        @Override
        public Verdict poll(Instant now) {
            return new Verdict(Status.ERROR, reason);
        }

        @Override
        public Duration next() {
            return Duration.ZERO;
        }

        @Override
        public AnalysisRecord record() {
            return before == null ? null : before.record();
        }
    }
}
