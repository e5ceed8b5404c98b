package io.jenkins.plugins.k8sdeploy.demo;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The records of one real {@code bin/demo --yes} run against the test bed, kept as they were written
 * ({@code v2-canary.json}: promoted after its analysis passed and the approval; {@code v3-canary.json}: aborted by its
 * analysis).
 */
final class DemoFixtures {
    private DemoFixtures() {}

    static Path path(String name) {
        URL url = DemoFixtures.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static DeployRecord load(String name) {
        try {
            return RecordJson.fromJson(Files.readString(path(name), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    static DeployRecord v2() {
        return load("v2-canary.json");
    }

    static DeployRecord v3() {
        return load("v3-canary.json");
    }

    /** The measurement that decided v3's analysis. */
    static MeasurementRecord deciding(DeployRecord v3) {
        AnalysisRecord a = v3.analyses().get(0);
        return AnalysisReports.deciding(a, a.measurements().stream()
                .sorted(Comparator.comparing(MeasurementRecord::at)).toList());
    }
}
