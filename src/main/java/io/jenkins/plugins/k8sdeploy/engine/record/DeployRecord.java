package io.jenkins.plugins.k8sdeploy.engine.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What one deploy did, as plain data: serializable to JSON (see {@link RecordJson}), shown on the Jenkins build page,
 * returned by the step, written by the command line. No client type ever appears here.
 *
 * @param outcome how it ended: see {@link Outcome}
 * @param failure what failed, in the user's words; {@code null} when it succeeded
 * @param apiRequests HTTP requests made to the API server, watches included
 * @param strategy the {@link Strategy}; {@link Strategy#ROLLING} when {@code null}
 * @param app the Deployment a canary or blue-green rollout was about; {@code null} for a rolling deploy
 * @param events every weight change, pause, approval, promotion, abort and switch, in order, with its time
 * @param analyses every analysis a canary ran: each measurement (time, query, value, verdict), each metric's verdict
 *     and the judge's classifications and scores
 */
public record DeployRecord(
        String server,
        Outcome outcome,
        Instant started,
        Instant finished,
        long durationMillis,
        long apiRequests,
        List<ObjectChange> objects,
        List<WorkloadResult> workloads,
        List<String> rollbacks,
        List<TimelineEntry> timeline,
        String failure,
        Strategy strategy,
        String app,
        List<StrategyEvent> events,
        List<AnalysisRecord> analyses) implements Serializable {

    /** How a deploy ended; written to JSON, and given to Pipeline scripts, by its name. */
    public enum Outcome {
        SUCCEEDED,
        /** Failed, and rolled back or not: see {@link DeployRecord#rollbacks()}. */
        FAILED,
        DRY_RUN,
        /** A canary aborted (all traffic went back to the stable version), or a rollout stopped at its gate. */
        ABORTED,
        /** Not ended: an approval gate is waiting (the record of a rollout still under way). */
        WAITING
    }

    /**
     * How a deploy rolled out: the one list of strategies, for the records and for the step's {@code strategy}
     * setting. Written to JSON, given to Pipeline scripts and shown by its {@link #label()}.
     */
    public enum Strategy {
        ROLLING("rolling"),
        CANARY("canary"),
        BLUE_GREEN("blueGreen");

        private final String label;

        Strategy(String label) {
            this.label = label;
        }

        /** As users write it and records have always had it: {@code rolling}, {@code canary}, {@code blueGreen}. */
        @JsonValue
        public String label() {
            return label;
        }
    }

    public DeployRecord {
        strategy = strategy == null ? Strategy.ROLLING : strategy;
        events = events == null ? List.of() : List.copyOf(events);
        analyses = analyses == null ? List.of() : List.copyOf(analyses);
    }

    /** A record without analyses. */
    public DeployRecord(String server, Outcome outcome, Instant started, Instant finished, long durationMillis,
            long apiRequests, List<ObjectChange> objects, List<WorkloadResult> workloads, List<String> rollbacks,
            List<TimelineEntry> timeline, String failure, Strategy strategy, String app, List<StrategyEvent> events) {
        this(server, outcome, started, finished, durationMillis, apiRequests, objects, workloads, rollbacks, timeline,
                failure, strategy, app, events, List.of());
    }

    /** A rolling deploy's record: no strategy events. */
    public DeployRecord(String server, Outcome outcome, Instant started, Instant finished, long durationMillis,
            long apiRequests, List<ObjectChange> objects, List<WorkloadResult> workloads, List<String> rollbacks,
            List<TimelineEntry> timeline, String failure) {
        this(server, outcome, started, finished, durationMillis, apiRequests, objects, workloads, rollbacks, timeline,
                failure, Strategy.ROLLING, null, List.of(), List.of());
    }

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
     * @param type what kind of step: see {@link Type}
     * @param weight the canary's share of traffic (percent) after the event; for blue-green, 100 when the new colour
     *     is active and 0 when the old one is; {@code null} when the event does not change it
     * @param detail what happened, in the user's words
     * @param reason why, when the event has a reason of its own (an abort's failure), also at the end of the detail;
     *     {@code null} otherwise, and in records written before events had it (left out of the JSON when null)
     */
    public record StrategyEvent(Instant at, Type type, Integer weight, String detail,
            @JsonInclude(JsonInclude.Include.NON_NULL) String reason) implements Serializable {
        /** How a detail names its reason: {@code "Aborted: all traffic back to stable. Reason: <reason>"}. */
        public static final String REASON = ". Reason: ";

        /** The kinds of step; written to JSON, and given to Pipeline scripts, by name. */
        public enum Type {
            START,
            WEIGHT,
            PAUSE,
            RESUME,
            APPROVAL_WAIT,
            APPROVED,
            REJECTED,
            ANALYSIS,
            PROMOTE,
            PROMOTED,
            ABORT,
            SUPERSEDED,
            SWITCH,
            SWITCH_BACK,
            SCALE_DOWN
        }

        /** An event without a reason of its own. */
        public StrategyEvent(Instant at, Type type, Integer weight, String detail) {
            this(at, type, weight, detail, null);
        }

        /**
         * An {@link Type#ABORT}: the detail is what was done, then {@link #REASON} and the reason (as aborts have
         * always read), and the reason is kept apart for the report.
         *
         * <pre>{@code
         * StrategyEvent.abort(now, 0, "Aborted: all traffic back to stable", "analysis 'errors' failed")
         *     .detail()   // "Aborted: all traffic back to stable. Reason: analysis 'errors' failed"
         * }</pre>
         *
         * @param reason why; {@code null} for an abort without one (the detail is then {@code what} alone)
         */
        public static StrategyEvent abort(Instant at, Integer weight, String what, String reason) {
            return new StrategyEvent(at, Type.ABORT, weight, reason == null ? what : what + REASON + reason, reason);
        }
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED || outcome == Outcome.DRY_RUN;
    }
}
