package io.jenkins.plugins.k8sdeploy.engine.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a driver's next tick runs: a wake-up brings a late tick forward, and the tick it replaced does nothing. */
class TickScheduleTest {
    private final ManualHost host = new ManualHost(null, null);
    private final TickSchedule schedule = new TickSchedule();
    private final List<Long> ran = new ArrayList<>();

    private void unit(long number) {
        if (schedule.claim(number)) {
            ran.add(number);
        }
    }

    @Test
    void aWakeUpReplacesATickDueLaterWithOneDueNow() throws InterruptedException {
        schedule.tick(host, 60_000, this::unit);
        schedule.wake(host, this::unit);

        assertEquals(2, host.queue.size());
        host.runNext(); // the tick woken, due in 10 ms; the one due in a minute was cancelled
        host.runNext();
        assertEquals(List.of(2L), ran);
    }

    @Test
    void aWakeUpDuringATickMakesTheNextOneComeAtOnce() {
        schedule.tick(host, 0, this::unit);
        assertTrue(schedule.claim(1)); // running now
        schedule.wake(host, this::unit);
        assertEquals(1, host.queue.size()); // nothing rescheduled while it runs

        schedule.tick(host, 60_000, this::unit); // the running tick asks for a minute
        ManualHost.Pending next = host.queue.stream().filter(p -> p.seq() == 1).findFirst().orElseThrow();
        assertTrue(next.due().isBefore(Instant.now().plusSeconds(1)), "due " + next.due());
    }

    @Test
    void aTickThatIsNotTheLastScheduledDoesNothing() {
        schedule.tick(host, 0, this::unit);
        schedule.tick(host, 0, this::unit);
        assertFalse(schedule.claim(1));
        assertTrue(schedule.claim(2));
    }

    @Test
    void aStopCancelsTheUnitScheduled() {
        schedule.tick(host, 60_000, this::unit);
        schedule.cancel();
        assertTrue(host.queue.peek().future().isCancelled());
    }
}
