package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One analysis as a step of a rollout (a canary's {@code analysis} steps, blue-green's post-switch analysis): started
 * through the rollout's {@link AnalysisPort} (none configured: every name is unknown), polled until it decides, given
 * its providers again after a restart, and its record kept when it ends. The rollout keeps the running analysis and
 * the finished records in its own state; these are the rules over them, and the words a verdict is told in.
 */
public final class AnalysisStep {
    private AnalysisStep() {}

    /** A poll's answer: the verdict, and when the analysis wants to be polled again. */
    public record Polled(AnalysisPort.Verdict verdict, Duration next) {}

    /** The analyses to start from: {@code port}, or {@link AnalysisPort#NONE} when none was given. */
    public static AnalysisPort port(AnalysisPort port) {
        return port == null ? AnalysisPort.NONE : port;
    }

    /** Starts the analysis {@code name} of the canary against the stable ({@code port} null: none is known). */
    public static AnalysisPort.Run start(AnalysisPort port, String name, CanaryServices services, Instant now)
            throws DeployException {
        return port(port).start(name, services, now);
    }

    /** Polls {@code running} (it takes the measurements that are due). */
    public static Polled poll(AnalysisPort.Run running, Instant now) {
        AnalysisPort.Verdict v = running.poll(now);
        return new Polled(v, running.next());
    }

    /**
     * What the log and the record say of a verdict that ended the analysis: {@code "Analysis 'smoke' passed: 5 of 5
     * passed"}, {@code "... was inconclusive: ..."}, {@code "... failed: ..."}, {@code "... could not measure: ..."}.
     */
    public static String outcome(String name, AnalysisPort.Verdict v) {
        String what = switch (v.status()) {
            case SUCCESSFUL -> "passed";
            case INCONCLUSIVE -> "was inconclusive";
            case FAILED -> "failed";
            case ERROR -> "could not measure";
            case RUNNING -> "is running";
        };
        return "Analysis '" + name + "' " + what + ": " + v.message();
    }

    /**
     * Why a failed analysis stops the rollout, after its name: {@code "failed: error rate 7% > 1%"},
     * {@code "error: Prometheus did not answer"}.
     */
    public static String failure(AnalysisPort.Status status, String message) {
        return status.name().toLowerCase(Locale.ROOT) + ": " + message;
    }

    /** The running analysis read back from disk, its providers attached again; unchanged without analyses. */
    public static AnalysisPort.Run resume(AnalysisPort port, AnalysisPort.Run running) {
        return running != null && port != null ? port.resume(running) : running;
    }

    /** Ends {@code running} (if any): its record (if it keeps one) goes to {@code finished}. Returns null. */
    public static AnalysisPort.Run keep(AnalysisPort.Run running, List<AnalysisRecord> finished) {
        AnalysisRecord r = running == null ? null : running.record();
        if (r != null) {
            finished.add(r);
        }
        return null;
    }

    /** The finished analyses' records, then the running one's: everything for the deploy record. */
    public static List<AnalysisRecord> all(List<AnalysisRecord> finished, AnalysisPort.Run running) {
        List<AnalysisRecord> all = new ArrayList<>(finished);
        AnalysisRecord r = running == null ? null : running.record();
        if (r != null) {
            all.add(r);
        }
        return all;
    }
}
