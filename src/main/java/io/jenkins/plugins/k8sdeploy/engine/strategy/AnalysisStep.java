package io.jenkins.plugins.k8sdeploy.engine.strategy;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * One analysis as a step of a rollout: started through the rollout's {@link AnalysisPort} (none configured: every name
 * is unknown), polled until it decides, given its providers again after a restart, and its record kept when it ends.
 * The rollout keeps the running analysis and the finished records in its own state; these are the rules over them.
 */
public final class AnalysisStep {
    private AnalysisStep() {}

    /** The analyses to start from: {@code port}, or {@link AnalysisPort#NONE} when none was given. */
    public static AnalysisPort port(AnalysisPort port) {
        return port == null ? AnalysisPort.NONE : port;
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
