package io.jenkins.plugins.k8sdeploy.engine.record;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What one deploy did, as plain data: serializable to JSON (see {@link RecordJson}), shown on the Jenkins build page,
 * returned by the step, written by the command line. No client type ever appears here.
 *
 * @param outcome SUCCEEDED, FAILED (and rolled back or not: see rollbacks), or DRY_RUN
 * @param failure what failed, in the user's words; {@code null} when it succeeded
 * @param apiRequests HTTP requests made to the API server, watches included
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
        String failure) implements Serializable {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String DRY_RUN = "DRY_RUN";

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

    public boolean succeeded() {
        return SUCCEEDED.equals(outcome) || DRY_RUN.equals(outcome);
    }
}
