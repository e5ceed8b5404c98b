package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Verdict;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Analyses that could not be made again after a restart fail with the reason, keeping what was measured. */
class UnavailableAnalysisTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String REASON = "Could not find credentials 'prom-token' (the credentialsId of metric provider"
            + " 'prom') for this build.";

    /** A run that had measured something before the restart. */
    static final class Measured implements AnalysisPort.Run {
        @Override
        public Verdict poll(Instant now) {
            return new Verdict(Status.RUNNING, "2 of 5 measured");
        }

        @Override
        public Duration next() {
            return Duration.ofSeconds(5);
        }

        @Override
        public AnalysisRecord record() {
            return new AnalysisRecord("error-rate", Status.RUNNING, "2 of 5 measured", NOW, null, List.of(), null,
                    List.of());
        }
    }

    @Test
    void anAnalysisStartedAfterTheRestartErrsWithTheReason() throws Exception {
        UnavailableAnalysis a = new UnavailableAnalysis(REASON);

        AnalysisPort.Run run = a.start("error-rate", null, NOW);

        assertTrue(a.knows("anything"), "the plan was checked against the real analyses at the start");
        assertEquals(new Verdict(Status.ERROR, REASON), run.poll(NOW));
        assertNull(run.record());
    }

    @Test
    void theRunningAnalysisErrsWithTheReasonAndKeepsItsRecord() {
        AnalysisPort.Run before = new Measured();

        AnalysisPort.Run after = new UnavailableAnalysis(REASON).resume(before);

        assertEquals(new Verdict(Status.ERROR, REASON), after.poll(NOW));
        assertEquals(Duration.ZERO, after.next());
        assertEquals("2 of 5 measured", after.record().message());
        assertSame(after, new UnavailableAnalysis(REASON).resume(after), "a second restart keeps the first run");
    }
}
