package io.jenkins.plugins.k8sdeploy.engine.record;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What one deploy did, as plain data: serializable to JSON (see {@link RecordJson}), shown on the Jenkins build page,
 * returned by the step, written by the command line. No client type ever appears here.
 *
 * @param outcome SUCCEEDED, FAILED (and rolled back or not: see rollbacks), ABORTED (a canary), or DRY_RUN
 * @param failure what failed, in the user's words; {@code null} when it succeeded
 * @param apiRequests HTTP requests made to the API server, watches included
 * @param strategy {@link #ROLLING}, {@link #CANARY} or {@link #BLUE_GREEN}
 * @param app the Deployment a canary or blue-green rollout was about; {@code null} for a rolling deploy
 * @param events every weight change, pause, approval, promotion, abort and switch, in order, with its time
 * @param analyses every analysis a canary ran: each measurement (time, query, value, verdict), each metric's verdict
 *     and the judge's classifications and scores
 */
public record DeployRecord(
        String server,
        String outcome,
        Instant started,
        Instant finished,
        long durationMillis,
        long apiRequests,
        List<ObjectChange> objects,
        List<WorkloadResult> workloads,
        List<String> rollbacks,
        List<TimelineEntry> timeline,
        String failure,
        String strategy,
        String app,
        List<StrategyEvent> events,
        List<AnalysisRecord> analyses) implements Serializable {

    public static final String ROLLING = "rolling";
    public static final String CANARY = "canary";
    public static final String BLUE_GREEN = "blueGreen";

    public DeployRecord {
        strategy = strategy == null ? ROLLING : strategy;
        events = events == null ? List.of() : List.copyOf(events);
        analyses = analyses == null ? List.of() : List.copyOf(analyses);
    }

    /** A record without analyses. */
    public DeployRecord(String server, String outcome, Instant started, Instant finished, long durationMillis,
            long apiRequests, List<ObjectChange> objects, List<WorkloadResult> workloads, List<String> rollbacks,
            List<TimelineEntry> timeline, String failure, String strategy, String app, List<StrategyEvent> events) {
        this(server, outcome, started, finished, durationMillis, apiRequests, objects, workloads, rollbacks, timeline,
                failure, strategy, app, events, List.of());
    }

    /** A rolling deploy's record: no strategy events. */
    public DeployRecord(String server, String outcome, Instant started, Instant finished, long durationMillis,
            long apiRequests, List<ObjectChange> objects, List<WorkloadResult> workloads, List<String> rollbacks,
            List<TimelineEntry> timeline, String failure) {
        this(server, outcome, started, finished, durationMillis, apiRequests, objects, workloads, rollbacks, timeline,
                failure, ROLLING, null, List.of(), List.of());
    }

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String DRY_RUN = "DRY_RUN";
    /** A canary that was aborted: all traffic went back to the stable version. */
    public static final String ABORTED = "ABORTED";

    /**
     * One applied object.
     *
     * @param action created, configured or unchanged (for a dry run: would create, would change, unchanged)
     */
    public record ObjectChange(String kind, String name, String namespace, String action, String diff)
            implements Serializable {}

    /**
     * One workload the deploy waited for.
     *
     * @param status DONE or FAILED, with its message
     */
    public record WorkloadResult(
            String kind,
            String name,
            String namespace,
            long revisionBefore,
            long revisionAfter,
            List<String> imagesBefore,
            List<String> imagesAfter,
            String status,
            String message) implements Serializable {}

    public record TimelineEntry(Instant at, String message) implements Serializable {}

    /**
     * One step of a canary or blue-green rollout, for the timeline and the weight-over-time chart.
     *
     * @param type one of the constants below
     * @param weight the canary's share of traffic (percent) after the event; for blue-green, 100 when the new colour
     *     is active and 0 when the old one is; {@code null} when the event does not change it
     * @param detail what happened, in the user's words
     */
    public record StrategyEvent(Instant at, String type, Integer weight, String detail) implements Serializable {
        public static final String START = "START";
        public static final String WEIGHT = "WEIGHT";
        public static final String PAUSE = "PAUSE";
        public static final String RESUME = "RESUME";
        public static final String APPROVAL_WAIT = "APPROVAL_WAIT";
        public static final String APPROVED = "APPROVED";
        public static final String REJECTED = "REJECTED";
        public static final String ANALYSIS = "ANALYSIS";
        public static final String PROMOTE = "PROMOTE";
        public static final String PROMOTED = "PROMOTED";
        public static final String ABORT = "ABORT";
        public static final String SUPERSEDED = "SUPERSEDED";
        public static final String SWITCH = "SWITCH";
        public static final String SWITCH_BACK = "SWITCH_BACK";
        public static final String SCALE_DOWN = "SCALE_DOWN";
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(outcome) || DRY_RUN.equals(outcome);
    }
}
