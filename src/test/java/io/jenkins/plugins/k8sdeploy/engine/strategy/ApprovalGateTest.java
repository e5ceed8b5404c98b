package io.jenkins.plugins.k8sdeploy.engine.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of waiting for a person, as a table: a wait begun at 08:00, looked at later. */
class ApprovalGateTest {
    private static final Instant SINCE = Instant.parse("2026-12-05T08:00:00Z");

    @ParameterizedTest(name = "timeout {0} s, proceed {1}, {2} s later -> {3}")
    @CsvSource({
        // timeout (empty: none), proceed on timeout, seconds since the wait began, what the check says
        ",     false, 3600, waiting PT1S",
        "600,  false, 0,    waiting PT1S",
        "600,  false, 599,  waiting PT1S",
        "600,  false, 599.6, waiting PT0.4S",
        "600,  false, 600,  timed out: abort",
        "600,  true,  600,  timed out: proceed",
        "600,  true,  7200, timed out: proceed",
    })
    void aWaitLooksAgainWithinAPollUntilItsTimeout(Integer timeout, boolean proceed, double after, String expected) {
        var policy = new Approval.Policy(null, timeout == null ? null : Duration.ofSeconds(timeout), proceed);
        var check = ApprovalGate.check(policy, SINCE, SINCE.plusMillis((long) (after * 1000)));
        assertEquals(expected, switch (check) {
            case ApprovalGate.Waiting w -> "waiting " + w.next();
            case ApprovalGate.TimedOut t -> "timed out: " + (t.proceed() ? "proceed" : "abort");
        });
    }

    @Test
    void aWaitWithItsOwnPollLooksAgainAtThatPoll() {
        assertEquals(new ApprovalGate.Waiting(Duration.ofSeconds(2)), ApprovalGate.check(Approval.Policy.DEFAULT,
                SINCE, SINCE.plusSeconds(3600), Duration.ofSeconds(2)));
        assertEquals(new ApprovalGate.Waiting(Duration.ofMillis(500)), ApprovalGate.check(new Approval.Policy(null,
                Duration.ofSeconds(10), false), SINCE, SINCE.plusMillis(9500), Duration.ofSeconds(2)));
    }

    @Test
    void theDeadlineIsTheTimeoutAfterTheWaitBegan() {
        assertEquals(SINCE.plusSeconds(600), ApprovalGate.deadline(new Approval.Policy(null, Duration.ofMinutes(10),
                false), SINCE));
        assertNull(ApprovalGate.deadline(Approval.Policy.DEFAULT, SINCE));
        assertNull(ApprovalGate.deadline(new Approval.Policy(null, Duration.ofMinutes(10), false), null));
    }

    @Test
    void answersSayWhoAndWhetherTheyStillCount() {
        assertEquals(" by alice: looks good", ApprovalGate.by(new Approval.Decision("a-1", true, "alice",
                "looks good")));
        assertEquals(" by bob", ApprovalGate.by(new Approval.Decision("a-1", false, "bob", " ")));
        assertEquals("The approval a-1 is no longer waiting; ignoring abort by bob.",
                ApprovalGate.notWaiting(new Approval.Decision("a-1", false, "bob", null)));
    }
}
