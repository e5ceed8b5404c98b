package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout.Operation;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenRollout.Phase;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.ObjectChange;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.rollout.WorkloadState;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A blue-green rollout's state: the plan, where it stands, what it recorded, and its post-switch analysis. Plain
 * data, changed only by the acts ({@link BlueGreenActions}, {@link BlueGreenStop}), a person's answer
 * ({@link BlueGreenRollout#decide}) and the engine while it starts the rollout.
 *
 * <p>It is saved with the rollout, between ticks, under the field names and types it had when all of it was fields
 * of {@link BlueGreenRollout} ({@link #SAVED}), so a rollout saved by an earlier version of the plugin reads back
 * into this, and this reads back there.
 */
final class BlueGreenState {
    final BlueGreenPlan plan;
    /** Read by other threads (the build page, the command line's signal handler). */
    volatile Phase phase;
    Instant deadline;
    Instant verifyDeadline;
    Instant scaleDownAt;
    Instant finished;
    String failure;
    String lastLine;
    Long switchNanos;
    long apiRequests;
    WorkloadState after;
    final List<ObjectChange> changes;
    final List<TimelineEntry> timeline;
    final List<StrategyEvent> events;
    final List<String> rollbacks;
    final PostSwitchAnalysis analysis = new PostSwitchAnalysis();

    BlueGreenState(BlueGreenPlan plan) {
        this(plan, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    private BlueGreenState(BlueGreenPlan plan, List<ObjectChange> changes, List<TimelineEntry> timeline,
            List<StrategyEvent> events, List<String> rollbacks) {
        this.plan = plan;
        this.changes = changes;
        this.timeline = timeline;
        this.events = events;
        this.rollbacks = rollbacks;
    }

    boolean finished() {
        return phase == Phase.SUCCEEDED || phase == Phase.FAILED;
    }

    /** A line for the timeline. */
    void note(Instant at, String line) {
        timeline.add(new TimelineEntry(at, line));
    }

    void event(Instant at, StrategyEvent.Type type, Integer weight, String detail) {
        events.add(new StrategyEvent(at, type, weight, detail));
    }

    /** One line for the build's status. */
    String status() {
        BlueGreenTarget target = plan.target();
        String what = "blue-green " + target.app();
        String to = plan.to();
        String from = plan.from();
        return switch (phase) {
            case WAIT_AVAILABLE -> what + ": waiting for " + to + (lastLine == null ? "" : " (" + lastLine + ")");
            case SWITCH -> what + ": switching to " + to;
            case VERIFY -> what + ": switched to " + to + ", checking its endpoints";
            case ANALYSIS -> what + ": " + to + " serves; " + (analysis.approvalSince != null
                    ? "analysis '" + analysis.name + "' was inconclusive, waiting for a decision"
                    : "analysis '" + analysis.name + "' running") + "; " + from + " keeps its pods";
            case VERIFY_BACK -> what + ": switched back to " + from + ", checking its endpoints";
            case WAIT_SCALE_DOWN -> what + ": " + to + " serves; " + from + " scales down at "
                    + BlueGreenCluster.rfc3339(scaleDownAt);
            case SUCCEEDED -> what + ": done";
            case FAILED -> what + ": failed";
        };
    }

    /** What happened so far (finished or not), as of {@code now} when not finished. */
    DeployRecord record(Instant now) {
        Instant end = finished != null ? finished : now;
        boolean succeeded = phase == Phase.SUCCEEDED;
        String why = succeeded ? null : failure != null ? failure : "not finished: " + status();
        WorkloadState b = plan.before() == null ? WorkloadState.NONE : plan.before();
        WorkloadState a = after == null ? WorkloadState.NONE : after;
        BlueGreenTarget target = plan.target();
        String to = plan.to();
        List<DeployRecord.WorkloadResult> workloads = List.of(new DeployRecord.WorkloadResult("Deployment",
                target.deployment(to), target.namespace(), b.revision(), a.revision(), b.images(), a.images(),
                succeeded ? "DONE" : finished() ? "FAILED" : "PROGRESSING",
                succeeded ? to + " " + (plan.operation() == Operation.DEPLOY && !plan.switchWhenAvailable()
                        ? "ready as preview" : "serves") : why));
        return new DeployRecord(plan.server(), succeeded ? DeployRecord.Outcome.SUCCEEDED : DeployRecord.Outcome.FAILED,
                plan.started(), end, Duration.between(plan.started(), end).toMillis(), apiRequests,
                List.copyOf(changes), workloads, List.copyOf(rollbacks), List.copyOf(timeline), why,
                DeployRecord.Strategy.BLUE_GREEN, target.app(), List.copyOf(events), analysis.all());
    }

    /**
     * The saved form: the names and types of the fields {@link BlueGreenRollout} had before its state moved here.
     * Do not rename; a new field is added at the end and reads back as its default from older saves.
     */
    static final ObjectStreamField[] SAVED = {
        new ObjectStreamField("operation", Operation.class),
        new ObjectStreamField("target", BlueGreenTarget.class),
        new ObjectStreamField("server", String.class),
        new ObjectStreamField("started", Instant.class),
        new ObjectStreamField("from", String.class),
        new ObjectStreamField("to", String.class),
        new ObjectStreamField("switchWhenAvailable", boolean.class),
        new ObjectStreamField("scaleDownDelay", Duration.class),
        new ObjectStreamField("timeout", Duration.class),
        new ObjectStreamField("waitForScaleDown", boolean.class),
        new ObjectStreamField("plainDeploymentExists", boolean.class),
        new ObjectStreamField("before", WorkloadState.class),
        new ObjectStreamField("phase", Phase.class),
        new ObjectStreamField("deadline", Instant.class),
        new ObjectStreamField("verifyDeadline", Instant.class),
        new ObjectStreamField("scaleDownAt", Instant.class),
        new ObjectStreamField("finished", Instant.class),
        new ObjectStreamField("failure", String.class),
        new ObjectStreamField("lastLine", String.class),
        new ObjectStreamField("switchNanos", Long.class),
        new ObjectStreamField("apiRequests", long.class),
        new ObjectStreamField("after", WorkloadState.class),
        new ObjectStreamField("changes", List.class),
        new ObjectStreamField("timeline", List.class),
        new ObjectStreamField("events", List.class),
        new ObjectStreamField("rollbacks", List.class),
        new ObjectStreamField("analysisName", String.class),
        new ObjectStreamField("analysisRun", AnalysisPort.Run.class),
        new ObjectStreamField("analyses", List.class),
        new ObjectStreamField("approvalSince", Instant.class),
        new ObjectStreamField("approvalMessage", String.class),
        new ObjectStreamField("decision", Boolean.class),
        new ObjectStreamField("decisionReason", String.class),
    };

    /** Writes this under the {@link #SAVED} names. */
    void save(ObjectOutputStream.PutField f) {
        f.put("operation", plan.operation());
        f.put("target", plan.target());
        f.put("server", plan.server());
        f.put("started", plan.started());
        f.put("from", plan.from());
        f.put("to", plan.to());
        f.put("switchWhenAvailable", plan.switchWhenAvailable());
        f.put("scaleDownDelay", plan.scaleDownDelay());
        f.put("timeout", plan.timeout());
        f.put("waitForScaleDown", plan.waitForScaleDown());
        f.put("plainDeploymentExists", plan.plainDeploymentExists());
        f.put("before", plan.before());
        f.put("phase", phase);
        f.put("deadline", deadline);
        f.put("verifyDeadline", verifyDeadline);
        f.put("scaleDownAt", scaleDownAt);
        f.put("finished", finished);
        f.put("failure", failure);
        f.put("lastLine", lastLine);
        f.put("switchNanos", switchNanos);
        f.put("apiRequests", apiRequests);
        f.put("after", after);
        f.put("changes", new ArrayList<>(changes));
        f.put("timeline", new ArrayList<>(timeline));
        f.put("events", new ArrayList<>(events));
        f.put("rollbacks", new ArrayList<>(rollbacks));
        f.put("analysisName", analysis.name);
        f.put("analysisRun", analysis.run);
        f.put("analyses", new ArrayList<>(analysis.finished));
        f.put("approvalSince", analysis.approvalSince);
        f.put("approvalMessage", analysis.approvalMessage);
        f.put("decision", analysis.answer);
        f.put("decisionReason", analysis.answerReason);
    }

    /** Reads what {@link #save} wrote, or what an earlier version saved as fields of the rollout. */
    static BlueGreenState restore(ObjectInputStream.GetField f) throws IOException, ClassNotFoundException {
        BlueGreenPlan plan = new BlueGreenPlan((Operation) f.get("operation", null),
                (BlueGreenTarget) f.get("target", null), (String) f.get("server", null),
                (Instant) f.get("started", null), (String) f.get("from", null), (String) f.get("to", null),
                f.get("switchWhenAvailable", false), (Duration) f.get("scaleDownDelay", null),
                (Duration) f.get("timeout", null), f.get("waitForScaleDown", false),
                f.get("plainDeploymentExists", false), (WorkloadState) f.get("before", null));
        BlueGreenState s = new BlueGreenState(plan, list(f, "changes"), list(f, "timeline"), list(f, "events"),
                list(f, "rollbacks"));
        s.phase = (Phase) f.get("phase", null);
        s.deadline = (Instant) f.get("deadline", null);
        s.verifyDeadline = (Instant) f.get("verifyDeadline", null);
        s.scaleDownAt = (Instant) f.get("scaleDownAt", null);
        s.finished = (Instant) f.get("finished", null);
        s.failure = (String) f.get("failure", null);
        s.lastLine = (String) f.get("lastLine", null);
        s.switchNanos = (Long) f.get("switchNanos", null);
        s.apiRequests = f.get("apiRequests", 0L);
        s.after = (WorkloadState) f.get("after", null);
        PostSwitchAnalysis a = s.analysis;
        a.name = (String) f.get("analysisName", null);
        a.run = (AnalysisPort.Run) f.get("analysisRun", null);
        a.finished.addAll(list(f, "analyses"));
        a.approvalSince = (Instant) f.get("approvalSince", null);
        a.approvalMessage = (String) f.get("approvalMessage", null);
        a.answer = (Boolean) f.get("decision", null);
        a.answerReason = (String) f.get("decisionReason", null);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(ObjectInputStream.GetField f, String name)
            throws IOException, ClassNotFoundException {
        Object v = f.get(name, null);
        return v == null ? new ArrayList<>() : new ArrayList<>((List<T>) v);
    }
}
