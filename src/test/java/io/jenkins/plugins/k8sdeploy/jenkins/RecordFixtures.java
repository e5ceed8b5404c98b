package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.WorkloadResult;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Rollout records for the build page's tests: the recorded runs the report tests use, two canaries the engine
 * recorded against the test bed with a real Prometheus analysis, and a record whose every string is hostile.
 */
final class RecordFixtures {
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String IMG = "\"><img src=x onerror=alert(2)>";
    static final String SVG_BREAK = "</svg><script>alert(3)</script>";

    private RecordFixtures() {}

    /** A canary: START, 20%, pause 5m, 50%, approval, promoted to 100% (engine/report fixture). */
    static DeployRecord promoted() {
        return load("/io/jenkins/plugins/k8sdeploy/engine/report/canary-promoted.json");
    }

    /** A canary on Istio aborted during its pause because its pods crash-looped (engine/report fixture). */
    static DeployRecord aborted() {
        return load("/io/jenkins/plugins/k8sdeploy/engine/report/canary-aborted.json");
    }

    /**
     * A canary the engine ran against the test bed, aborted at 20% because its analysis 'errors' failed: Prometheus
     * said 20% of the canary's requests failed, twice (plan: 20%, pause 10s, analysis errors, 50%, approval, 100%).
     */
    static DeployRecord analysisFailed() {
        return load("canary-analysis-failed.json");
    }

    /** The version before it in the same run: the analysis passed, it was approved and promoted. */
    static DeployRecord analysisPassed() {
        return load("canary-analysis-passed.json");
    }

    static DeployRecord load(String name) {
        try (InputStream in = RecordFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return RecordJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    /** A canary whose every string (server, names, images, messages, failure) carries markup from the cluster. */
    static DeployRecord hostile() {
        Instant t0 = Instant.parse("2025-03-14T12:00:00Z");
        String app = "web" + SVG_BREAK;
        List<StrategyEvent> events = List.of(
                new StrategyEvent(t0.plusSeconds(1), StrategyEvent.Type.START, 0, "Started " + SCRIPT),
                new StrategyEvent(t0.plusSeconds(20), StrategyEvent.Type.WEIGHT, 25, "annotation " + IMG),
                new StrategyEvent(t0.plusSeconds(30), StrategyEvent.Type.APPROVAL_WAIT, 25, "approve " + SCRIPT),
                new StrategyEvent(t0.plusSeconds(50), StrategyEvent.Type.ABORT, 0, "Aborted. Reason: pod " + IMG));
        List<TimelineEntry> timeline = events.stream().map(e -> new TimelineEntry(e.at(), e.detail())).toList();
        return new DeployRecord("https://k8s.example:6443/" + IMG, DeployRecord.Outcome.ABORTED, t0, t0.plusSeconds(60),
                60_000, 12, List.of(), List.of(new WorkloadResult("Deployment", app, "shop" + SCRIPT, 0, 0,
                        List.of("web:1" + IMG), List.of("web:2" + SVG_BREAK), "FAILED", "crash " + SCRIPT)),
                List.of("rolled back " + SCRIPT), timeline, "The canary failed: " + SCRIPT, DeployRecord.Strategy.CANARY, app,
                events);
    }

    /** A rolling deploy that succeeded, whose workload name, namespace and image carry markup: for the job page. */
    static DeployRecord hostileRolling() {
        Instant t0 = Instant.parse("2025-03-14T13:00:00Z");
        return new DeployRecord("https://k8s.example:6443/" + SCRIPT, DeployRecord.Outcome.SUCCEEDED, t0, t0.plusSeconds(30),
                30_000, 9, List.of(), List.of(new WorkloadResult("Deployment", "api" + IMG, "shop" + SCRIPT, 1, 2,
                        List.of("api:1"), List.of("api:2" + SVG_BREAK), "DONE", "rolled out " + SCRIPT)),
                List.of(), List.of(new TimelineEntry(t0.plusSeconds(30), "Done " + SCRIPT)), null);
    }
}
