package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.Snapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A canary command as written on the Deployment: what it says, when it stops holding, and that it can be saved. */
class CanaryCommandWordsTest {
    static final Instant T = Instant.parse("2026-12-04T22:30:00Z");

    @Test
    void aCommandReadsBackAsWrittenAndExpiresWhenItsWriterStopsWaiting() {
        CanaryState.Command c = new CanaryState.Command("abort", "5f1c0e2a", T, T.plus(Duration.ofMinutes(10)));

        assertEquals("abort id=5f1c0e2a at=2026-12-04T22:30:00Z expires=2026-12-04T22:40:00Z", c.encode());
        assertEquals(c, CanaryState.Command.parse(c.encode()));
        assertFalse(c.expired(T.plus(Duration.ofMinutes(9))));
        assertTrue(c.expired(T.plus(Duration.ofMinutes(10))));
        assertTrue(c.is(c.encode()));
        assertFalse(c.is("abort id=other at=2026-12-04T22:30:00Z"), "another command with the same word");
        assertFalse(c.is(null));
    }

    @Test
    void aWordWrittenByHandHoldsUntilTakenAndAGarbledTimeNeverExpiresIt() {
        assertEquals(new CanaryState.Command("promote", null, null, null), CanaryState.Command.parse("promote"));
        assertFalse(CanaryState.Command.parse("promote").expired(T));
        assertFalse(CanaryState.Command.parse("abort id=x expires=yesterday").expired(T));
    }

    @Test
    void aWaitForACommandIsSavedWithThePipelineStep() {
        CommandRollout waiting = new CommandRollout("https://k8s.example:6443", "shop", "web",
                CanaryState.Command.of(CanaryState.PROMOTE, T, Duration.ofMinutes(10)), Duration.ofMinutes(10), T);

        CommandRollout copy = Snapshots.copy(waiting);

        assertEquals(waiting.status(), copy.status());
        assertEquals(waiting.record(Clock.systemUTC()).strategy(), copy.record(Clock.systemUTC()).strategy());
    }
}
