package io.jenkins.plugins.k8sdeploy.engine.record;

import com.fasterxml.jackson.annotation.JsonInclude;
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
     * @param reason why, when the event has a reason of its own (an abort's failure), also at the end of the detail;
     *     {@code null} otherwise, and in records written before events had it (left out of the JSON when null)
     */
    public record StrategyEvent(Instant at, String type, Integer weight, String detail,
            @JsonInclude(JsonInclude.Include.NON_NULL) String reason) implements Serializable {
        /** How a detail names its reason: {@code "Aborted: all traffic back to stable. Reason: <reason>"}. */
        public static final String REASON = ". Reason: ";

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

        /** An event without a reason of its own. */
        public StrategyEvent(Instant at, String type, Integer weight, String detail) {
            this(at, type, weight, detail, null);
        }

        /**
         * An {@link #ABORT}: the detail is what was done, then {@link #REASON} and the reason (as aborts have always
         * read), and the reason is kept apart for the report.
         *
         * <pre>{@code
         * StrategyEvent.abort(now, 0, "Aborted: all traffic back to stable", "analysis 'errors' failed")
         *     .detail()   // "Aborted: all traffic back to stable. Reason: analysis 'errors' failed"
         * }</pre>
         *
         * @param reason why; {@code null} for an abort without one (the detail is then {@code what} alone)
         */
        public static StrategyEvent abort(Instant at, Integer weight, String what, String reason) {
            return new StrategyEvent(at, ABORT, weight, reason == null ? what : what + REASON + reason, reason);
        }
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(outcome) || DRY_RUN.equals(outcome);
    }
}
