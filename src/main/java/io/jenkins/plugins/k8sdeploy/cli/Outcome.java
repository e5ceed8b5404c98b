package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How every command ends: the record written where --record asked, then exit 0, or 1 with the reason on stderr. The
 * record is written on every way out that can write one: done, failed, aborted, refused before anything was applied,
 * stopped by a signal (the failure says "cancelled by SIGTERM"), or an unexpected error (a bug: the record says so,
 * then the stack trace follows).
 */
final class Outcome {
    private Outcome() {}

    /**
     * @param recordFile {@code --record}, or {@code null}
     * @param ok whether the outcome is what the command was asked for
     */
    static int of(DeployRecord result, Path recordFile, boolean ok) {
        boolean written = write(result, recordFile);
        if (!ok) {
            System.err.println("k8spd: " + (result.failure() == null ? result.outcome() : result.failure()));
            return 1;
        }
        return written ? 0 : 1;
    }

    /**
     * Refuses, before anything is done, a {@code --record} file that cannot be written (its directory missing or
     * read-only, or a directory of that name), so a command never does its work and then fails to say what it did.
     */
    static void checkWritable(Path recordFile) throws DeployException {
        String problem = unwritable(recordFile);
        if (problem != null) {
            throw new DeployException("Cannot write the record to " + recordFile + ": " + problem + ". Nothing was"
                    + " done.");
        }
    }

    /** Why {@code recordFile} cannot be written, or {@code null} when it can (or none was asked for). */
    private static String unwritable(Path recordFile) {
        if (recordFile == null) {
            return null;
        }
        Path dir = recordFile.toAbsolutePath().getParent();
        return dir == null || !Files.isDirectory(dir) ? "its directory " + dir + " does not exist"
                : Files.isDirectory(recordFile) ? "it is a directory"
                : !Files.isWritable(dir) && !Files.isWritable(recordFile) ? "its directory " + dir + " is not writable"
                : Files.exists(recordFile) && !Files.isWritable(recordFile) ? "it is not writable"
                : null;
    }

    /** A command refused before it had a rollout to record ({@code message} says why): a FAILED record, exit 1. */
    static int refused(String message, Path recordFile, Instant started, String server, DeployRecord.Strategy strategy,
            String app) {
        Instant now = Instant.now();
        System.err.println("k8spd: " + message);
        if (unwritable(recordFile) != null) {
            return 1; // the message said so
        }
        write(new DeployRecord(server, DeployRecord.Outcome.FAILED, started, now,
                Duration.between(started, now).toMillis(), 0, List.of(), List.of(), List.of(),
                List.of(new DeployRecord.TimelineEntry(now, message)), message, strategy, app, List.of()), recordFile);
        return 1;
    }

    /**
     * A rollout that had started ended on a {@code DeployException} ({@code message}; an API server that stopped
     * answering for longer than the rollout's timeout, say): writes what was recorded so far as FAILED, with the
     * message as its failure, exit 1. Without a rollout yet, the same as {@link #refused}.
     */
    static int failed(String message, DeployRecord soFar, Path recordFile, Instant started, String server,
            DeployRecord.Strategy strategy, String app) {
        if (soFar == null) {
            return refused(message, recordFile, started, server, strategy, app);
        }
        System.err.println("k8spd: " + message);
        Instant now = Instant.now();
        List<DeployRecord.TimelineEntry> timeline = new java.util.ArrayList<>(soFar.timeline());
        timeline.add(new DeployRecord.TimelineEntry(now, message));
        write(new DeployRecord(soFar.server(), DeployRecord.Outcome.FAILED, soFar.started(), now,
                Duration.between(soFar.started(), now).toMillis(), soFar.apiRequests(), soFar.objects(),
                soFar.workloads(), soFar.rollbacks(), timeline, message, soFar.strategy(), soFar.app(),
                soFar.events(), soFar.analyses()), recordFile);
        return 1;
    }

    /**
     * An unexpected error (a bug) ended the command: writes what was recorded so far as FAILED, saying so, when there
     * is a record to write; the caller then rethrows, so the stack trace follows.
     */
    static void crashed(Throwable error, DeployRecord soFar, Path recordFile) {
        if (soFar == null || recordFile == null) {
            return;
        }
        String failure = "k8spd stopped on an unexpected error: " + error
                + (soFar.failure() == null ? "" : " (after: " + soFar.failure() + ")");
        try {
            write(new DeployRecord(soFar.server(), DeployRecord.Outcome.FAILED, soFar.started(), soFar.finished(),
                    soFar.durationMillis(), soFar.apiRequests(), soFar.objects(), soFar.workloads(),
                    soFar.rollbacks(), soFar.timeline(), failure, soFar.strategy(), soFar.app(), soFar.events(),
                    soFar.analyses()), recordFile);
        } catch (RuntimeException e) {
            error.addSuppressed(e);
        }
    }

    /** Writes the record, if asked; a failure to is said on stderr (the command has done its work by now). */
    private static boolean write(DeployRecord result, Path recordFile) {
        if (recordFile == null) {
            return true;
        }
        try {
            Files.writeString(recordFile, RecordJson.toJson(result), StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            System.err.println("k8spd: Could not write the record to " + recordFile + ": " + e + ".");
            return false;
        }
    }
}
