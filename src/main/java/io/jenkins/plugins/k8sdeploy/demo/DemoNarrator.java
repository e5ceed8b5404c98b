package io.jenkins.plugins.k8sdeploy.demo;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/** What the demo tells of its records: the measurement that decided an abort, and where the report went. */
final class DemoNarrator {
    private final Console console;
    private final String k8spd;

    DemoNarrator(Console console, String k8spd) {
        this.console = console;
        this.k8spd = k8spd;
    }

    /** Says which measurement decided v3's abort. */
    void tellWhatDecided(DeployRecord v3) {
        for (AnalysisRecord a : v3.analyses()) {
            MeasurementRecord m = AnalysisReports.deciding(a, a.measurements().stream()
                    .sorted(Comparator.comparing(MeasurementRecord::at)).toList());
            if (m != null) {
                String message = m.message() == null ? "" : m.message();
                int why = message.lastIndexOf("; ");
                console.line("The analysis caught the fault: " + m.metric() + " measured "
                        + AnalysisReports.number(m.values().isEmpty() ? null : m.values().get(0)) + " at "
                        + m.at().truncatedTo(ChronoUnit.SECONDS) + " (" + (why < 0 ? message
                                : message.substring(why + 2)) + "), its " + ordinal(a, m) + " failed measurement.");
            }
        }
    }

    private static String ordinal(AnalysisRecord a, MeasurementRecord deciding) {
        long n = a.measurements().stream().filter(m -> m.metric().equals(deciding.metric())
                && m.phase() == deciding.phase() && !m.at().isAfter(deciding.at())).count();
        return n == 1 ? "first" : n == 2 ? "second" : n == 3 ? "third" : n + "th";
    }

    /** Where the report and the records went, and the command that makes the report again from the records. */
    void tellReport(Path report, List<DemoReport.Named> records) {
        Path dir = report.toAbsolutePath().getParent();
        console.line("Report: " + report.toAbsolutePath());
        console.line("  open it in a browser: " + report.toAbsolutePath().toUri());
        List<String> json = records.stream().map(n -> dir.resolve(n.name() + ".json").toString()).toList();
        console.line("Records as JSON beside it: " + String.join(", ", records.stream().map(n -> n.name() + ".json")
                .toList()));
        console.line("  the same report from them: " + k8spd + " report --unit % " + String.join(" ", json)
                + " -o report.html");
    }
}
