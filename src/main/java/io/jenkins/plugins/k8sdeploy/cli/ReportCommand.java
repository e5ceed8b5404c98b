package io.jenkins.plugins.k8sdeploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports;
import io.jenkins.plugins.k8sdeploy.engine.report.HtmlReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code k8spd report}: rollout records (written by {@code --record}, or by {@code k8spd demo}) as one self-contained
 * HTML page: per rollout its summary, a chart of the canary's weight (and its analyses' metrics) over time, approvals,
 * aborts and their reasons, each analysis's measurements and verdicts, and the timeline. Exit codes: 0 written, 1 a
 * record could not be read or the page not written, 2 bad command line.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render rollout records (JSON from --record) as one self-contained HTML report.")
class ReportCommand implements Callable<Integer> {
    /** A record file larger than this is not a record. */
    static final long MAX_RECORD_BYTES = 32L * 1024 * 1024;

    @Parameters(arity = "1..*", paramLabel = "RECORD.json", description = "Records, in the order to show them.")
    List<Path> records;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the HTML (default: standard"
            + " output).")
    Path output;

    @Option(names = "--title", description = "The report's heading (default: the apps and when the first started).")
    String title;

    @Option(names = "--unit", paramLabel = "[METRIC=]UNIT", description = "The unit of an analysis metric's values"
            + " on the chart, e.g. --unit error-rate=%% ; without METRIC= for every metric.")
    List<String> units = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        try {
            List<DeployRecord> read = new ArrayList<>();
            for (Path p : records) {
                read.add(read(p));
            }
            String html = HtmlReport.render(AnalysisReports.model(title != null ? title : defaultTitle(read), read,
                    units(read)));
            if (output == null) {
                System.out.print(html);
            } else {
                Files.writeString(output, html, StandardCharsets.UTF_8);
                System.err.println("Wrote " + output.toAbsolutePath() + " (" + read.size() + " rollout"
                        + (read.size() == 1 ? "" : "s") + ").");
            }
            return 0;
        } catch (DeployException e) {
            System.err.println("k8spd: " + e.getMessage());
            return 1;
        }
    }

    static DeployRecord read(Path p) throws DeployException {
        try {
            if (Files.size(p) > MAX_RECORD_BYTES) {
                throw new DeployException("The record " + p + " is larger than " + MAX_RECORD_BYTES + " bytes.");
            }
            return RecordJson.fromJson(Files.readString(p, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new DeployException("The record " + p + " does not exist.");
        } catch (JsonProcessingException e) {
            throw new DeployException("The record " + p + " is not a rollout record (JSON from --record): "
                    + e.getOriginalMessage() + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                            + ")") + ".");
        } catch (IOException e) {
            throw new DeployException("Cannot read the record " + p + ": " + e.getMessage() + ".");
        }
    }

    /** {@code --unit %} for every metric, {@code --unit name=%} for one (which wins). */
    private Map<String, String> units(List<DeployRecord> read) {
        String all = null;
        Map<String, String> one = new HashMap<>();
        for (String u : units) {
            int eq = u.indexOf('=');
            if (eq < 0) {
                all = u;
            } else {
                one.put(u.substring(0, eq), u.substring(eq + 1));
            }
        }
        Map<String, String> out = new HashMap<>();
        if (all != null) {
            for (DeployRecord r : read) {
                for (var a : r.analyses()) {
                    for (var m : a.measurements()) {
                        out.put(m.metric(), all);
                    }
                }
            }
        }
        out.putAll(one);
        return out;
    }

    private static String defaultTitle(List<DeployRecord> read) {
        List<String> apps = read.stream().map(r -> r.app() != null ? r.app() : r.workloads() == null
                || r.workloads().isEmpty() ? "deploy" : r.workloads().get(0).name()).distinct().toList();
        return "Rollouts of " + String.join(", ", apps);
    }
}
