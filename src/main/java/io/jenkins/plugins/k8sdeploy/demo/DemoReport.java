package io.jenkins.plugins.k8sdeploy.demo;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports;
import io.jenkins.plugins.k8sdeploy.engine.report.HtmlReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * One run's report: {@code REPORTS/<yyyyMMdd-HHmmss>/report.html}, one self-contained page built from the records
 * alone (the same page {@code k8spd report} makes from them), and each record as JSON beside it
 * ({@code v2-canary.json}, {@code v3-canary.json}).
 */
final class DemoReport {
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'",
            java.util.Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private DemoReport() {}

    /** A record and the name of its JSON file (without {@code .json}). */
    record Named(String name, DeployRecord record) {}

    /** Writes the report and the records; returns the report's path. */
    static Path write(Path reports, String namespace, Instant now, List<Named> records, Map<String, String> units)
            throws IOException {
        Path dir = reports.resolve(FOLDER.format(now));
        for (int i = 2; Files.exists(dir); i++) {
            dir = reports.resolve(FOLDER.format(now) + "-" + i);
        }
        Files.createDirectories(dir);
        for (Named n : records) {
            Files.writeString(dir.resolve(n.name() + ".json"), RecordJson.toJson(n.record()), StandardCharsets.UTF_8);
        }
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render(AnalysisReports.model(title(namespace, now), records.stream()
                .map(Named::record).toList(), units)), StandardCharsets.UTF_8);
        return html;
    }

    static String title(String namespace, Instant now) {
        return "k8spd demo: " + Demo.APP + " in namespace " + namespace + ", " + WHEN.format(now);
    }
}
