package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What a {@link RolloutDriver} tells its host, recorded for tests: the log, the approvals shown, the saves and the
 * outcome. Subclasses decide how units run ({@link ManualHost}: one by one on the test thread).
 */
public abstract class RecordingHost implements RolloutDriver.Host {
    private final ClusterConnection connection;
    private final String prefix;
    public final List<String> log = Collections.synchronizedList(new ArrayList<>());
    public final List<Optional<Approval>> approvals = Collections.synchronizedList(new ArrayList<>());
    public final AtomicInteger outcomes = new AtomicInteger();
    public volatile int saves;
    public volatile DeployRecord succeeded;
    public volatile DeployRecord failedRecord;
    public volatile Throwable failed;

    /** @param prefix what the lines printed to the test's output start with, or null to print none */
    protected RecordingHost(ClusterConnection connection, String prefix) {
        this.connection = connection;
        this.prefix = prefix;
    }

    @Override
    public ClusterConnection connection() {
        return connection;
    }

    @Override
    public Consumer<String> log() {
        return line -> {
            log.add(line);
            if (prefix != null) {
                System.out.println(prefix + " " + line);
            }
        };
    }

    @Override
    public synchronized void saveState() {
        saves++;
    }

    @Override
    public void succeeded(DeployRecord record) {
        succeeded = record;
        outcomes.incrementAndGet();
        ended();
    }

    @Override
    public void failed(DeployRecord record, Throwable cause) {
        failedRecord = record;
        failed = cause;
        outcomes.incrementAndGet();
        ended();
    }

    /** Called once an outcome is recorded. */
    protected void ended() {}

    @Override
    public void approvalChanged(Optional<Approval> pending) {
        approvals.add(pending);
    }

    public boolean done() {
        return succeeded != null || failed != null;
    }
}
