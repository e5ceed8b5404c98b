package io.jenkins.plugins.k8sdeploy.engine.rollout;

import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Waits, on the caller's thread, until every workload is done, one has failed, or the deadline passes. Wakes up on
 * every change the watches report and at least every {@link #RESYNC} to look at the clock; logs a line whenever a
 * workload's status changes. Used by the command line; Jenkins steps poll {@link RolloutWatch}es from a timer instead.
 */
public final class RolloutWaiter {
    static final Duration RESYNC = Duration.ofSeconds(2);

    private RolloutWaiter() {}

    /**
     * @return the final status of each workload, in the order given; a workload still progressing at the deadline is
     *     FAILED with a message saying so and what it was waiting for
     */
    public static Map<Workload, RolloutStatus> await(
            KubeCluster cluster,
            Map<Workload, ResourceKind> workloads,
            Duration timeout,
            Clock clock,
            Consumer<String> log)
            throws InterruptedException {
        Semaphore changed = new Semaphore(0);
        List<RolloutWatch> watches = new ArrayList<>();
        Map<Workload, RolloutStatus> last = new LinkedHashMap<>();
        Instant deadline = clock.instant().plus(timeout);
        try {
            for (var e : workloads.entrySet()) {
                watches.add(RolloutWatch.start(cluster, e.getKey(), e.getValue(), changed::release));
            }
            while (true) {
                boolean allDone = true;
                for (RolloutWatch w : watches) {
                    RolloutStatus now = w.evaluate();
                    RolloutStatus before = last.put(w.workload(), now);
                    if (before == null || !before.equals(now)) {
                        log.accept(line(w.workload(), now));
                    }
                    if (now.isFailed()) {
                        return last;
                    }
                    allDone &= now.isDone();
                }
                if (allDone) {
                    return last;
                }
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    for (var e : last.entrySet()) {
                        if (!e.getValue().isDone()) {
                            e.setValue(RolloutStatus.failed("did not finish within " + format(timeout)
                                    + "; still " + e.getValue().message()));
                            log.accept(line(e.getKey(), e.getValue()));
                        }
                    }
                    return last;
                }
                long waitMs = Math.min(left.toMillis(), RESYNC.toMillis());
                if (changed.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                    changed.drainPermits();
                }
            }
        } finally {
            watches.forEach(RolloutWatch::close);
        }
    }

    static String line(Workload w, RolloutStatus s) {
        return switch (s.phase()) {
            case DONE -> w.kind() + "/" + w.name() + " rolled out: " + s.message() + ".";
            case FAILED -> w.kind() + "/" + w.name() + " failed: " + s.message() + ".";
            case PROGRESSING -> "Waiting for " + w.kind() + "/" + w.name() + ": " + s.message() + ".";
        };
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }
}
