package io.jenkins.plugins.k8sdeploy.engine.rollout;

import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Watches over a set of workloads: {@link #evaluate()} judges each from the informers' caches (no request), and
 * {@link #awaitChange} lets a caller that may block (the command line) sleep until something changed. A Jenkins step
 * polls {@link #evaluate()} from a timer instead of blocking.
 */
public final class RolloutWatches implements AutoCloseable {
    private final Semaphore changed = new Semaphore(0);
    private final List<RolloutWatch> watches = new ArrayList<>();

    private RolloutWatches() {}

    public static RolloutWatches start(KubeCluster cluster, Map<Workload, ResourceKind> workloads) {
        return start(cluster, workloads, () -> {});
    }

    /** Also runs {@code onChange} (quickly: it runs on a shared callback thread) when a watched object changed. */
    public static RolloutWatches start(KubeCluster cluster, Map<Workload, ResourceKind> workloads,
            Runnable onChange) {
        RolloutWatches w = new RolloutWatches();
        Runnable changed = () -> {
            w.changed.release();
            onChange.run();
        };
        try {
            for (var e : workloads.entrySet()) {
                w.watches.add(RolloutWatch.start(cluster, e.getKey(), e.getValue(), changed));
            }
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    /** Each workload's status now, in the order given. */
    public Map<Workload, RolloutStatus> evaluate() {
        Map<Workload, RolloutStatus> statuses = new LinkedHashMap<>();
        watches.forEach(w -> statuses.put(w.workload(), w.evaluate()));
        return statuses;
    }

    /** Blocks until a watched object changed or {@code atMost} passed. */
    public void awaitChange(Duration atMost) throws InterruptedException {
        if (changed.tryAcquire(Math.max(0, atMost.toMillis()), TimeUnit.MILLISECONDS)) {
            changed.drainPermits();
        }
    }

    @Override
    public void close() {
        watches.forEach(RolloutWatch::close);
    }
}
