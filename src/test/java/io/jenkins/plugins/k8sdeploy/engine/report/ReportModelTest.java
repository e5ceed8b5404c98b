package io.jenkins.plugins.k8sdeploy.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.WorkloadResult;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Analysis;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Approval;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.MeasurementRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Point;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Series;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Stop;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Summary;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.TimelineRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.WeightStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportModelTest {
    private static final Instant T0 = Instant.parse("2025-03-14T09:00:00Z");

    private static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    @Test
    void promotedCanaryGivesItsSummaryAndTheWeightAsStepsThatHoldUntilTheNextChange() {
        Rollout r = Rollout.from(Fixtures.promoted());

        Summary s = r.summary();
        assertEquals("https://10.0.0.1:6443", s.server());
        assertEquals("shop", s.namespace());
        assertEquals("web", s.app());
        assertEquals("canary", s.strategy());
        assertEquals(List.of("registry.example/shop/web:1.4.2"), s.fromImages());
        assertEquals(List.of("registry.example/shop/web:1.5.0"), s.toImages());
        assertEquals("SUCCEEDED", s.outcome());
        assertEquals(T0, s.started());
        assertEquals(at(900), s.finished());
        assertEquals(900_000, s.durationMillis());
        assertEquals(187, s.apiRequests());
        assertEquals(List.of("Deployment/web: DONE (canary at 100%)"), s.workloads());

        // PAUSE, RESUME, APPROVAL_WAIT, APPROVED and PROMOTE repeat the weight: no new step
        assertEquals(List.of(
                new WeightStep(at(1), at(31), 0, "START"),
                new WeightStep(at(31), at(362), 20, "WEIGHT"),
                new WeightStep(at(362), at(899), 50, "WEIGHT"),
                new WeightStep(at(899), at(900), 100, "PROMOTED")), r.weights());
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(331), Duration.ofSeconds(537),
                Duration.ofSeconds(1)), r.weights().stream().map(WeightStep::held).toList());
        assertNull(r.weightAt(at(0.5)), "nothing set a weight before START");
        assertEquals(20, r.weightAt(at(31)));
        assertEquals(20, r.weightAt(at(361.9)));
        assertEquals(50, r.weightAt(at(600)));
        assertEquals(100, r.weightAt(at(900)));

        assertEquals(List.of(new Approval(at(362), at(720), 50, Approval.APPROVED,
                "Waiting for approval at 50%. Promote: k8spd canary promote web -n shop (or canaryPromote); abort:"
                        + " k8spd canary abort web -n shop.",
                "Promoted past 'approval' on request.")), r.approvals());
        assertEquals(Duration.ofSeconds(358), r.approvals().get(0).waited());
        assertEquals(List.of(new ReportModel.Pause(at(31), at(331), 20, "Pausing 5m at 20%.")), r.pauses());
        assertEquals(List.of(), r.stops());
        assertNull(r.failure());
        assertEquals(List.of(), r.analyses());
    }

    @Test
    void timelineKeepsEveryLogLineAndMarksTheOnesThatWereEvents() {
        Rollout r = Rollout.from(Fixtures.promoted());
        List<TimelineRow> t = r.timeline();
        assertEquals(12, t.size(), "3 log lines and 9 events, none twice");
        assertEquals(new TimelineRow(T0, null, null, "Connected to https://10.0.0.1:6443 (Kubernetes v1.32.2)."),
                t.get(0));
        assertEquals(new TimelineRow(at(0.412), null, null, "Applied ConfigMap/web-config: configured."), t.get(1));
        assertEquals(List.of("START", "WEIGHT", "PAUSE", "RESUME", "WEIGHT", "APPROVAL_WAIT", "APPROVED", "PROMOTE",
                "PROMOTED"), t.subList(3, 12).stream().map(TimelineRow::type).toList());
        assertEquals(List.of(0, 20, 20, 20, 50, 50, 50, 50, 100),
                t.subList(3, 12).stream().map(TimelineRow::weight).toList());
        assertEquals(0.412, r.secondsFromStart(t.get(1).at()));
        assertEquals(899.0, r.secondsFromStart(t.get(11).at()));
    }

    @Test
    void abortedCanaryGivesItsReasonOnceAndTheWeightBackToZero() {
        DeployRecord record = Fixtures.aborted();
        Rollout r = Rollout.from(record);
        Instant start = Instant.parse("2025-03-14T10:00:00Z");

        assertEquals("ABORTED", r.summary().outcome());
        assertEquals(160_000, r.summary().durationMillis());
        assertEquals(List.of(
                new WeightStep(start.plusSeconds(1), start.plusSeconds(41), 0, "START"),
                new WeightStep(start.plusSeconds(41), start.plusSeconds(133), 20, "WEIGHT"),
                new WeightStep(start.plusSeconds(133), start.plusSeconds(160), 0, "ABORT")), r.weights());
        assertEquals(List.of(), r.approvals(), "aborted during the pause, before the approval step");
        assertEquals(List.of(new ReportModel.Pause(start.plusSeconds(41), start.plusSeconds(133), 20,
                "Pausing 10m at 20%.")), r.pauses(), "the abort ended the pause");

        assertEquals(1, r.stops().size(), "the record's rollback line is the abort's reason: listed once");
        Stop abort = r.stops().get(0);
        assertEquals(Stop.ABORT, abort.kind());
        assertEquals(start.plusSeconds(133), abort.at());
        assertEquals(record.failure(), abort.reason());
        assertTrue(abort.detail().startsWith("Aborted: all traffic back to stable (Istio VirtualService web in shop"
                + " reset). Reason: The canary cannot run: pod web-canary-6f7c9d8b5-kx2vq"), abort.detail());
        assertTrue(r.failure().contains("CrashLoopBackOff after 4 restarts"), r.failure());
    }

    @Test
    void anApprovalGateIsRefusedByAnAbortAndPendingWhileNothingDecided() {
        DeployRecord refused = canary(List.of(
                new StrategyEvent(at(0), StrategyEvent.Type.START, 0, "start"),
                new StrategyEvent(at(10), StrategyEvent.Type.WEIGHT, 30, "30%"),
                new StrategyEvent(at(11), StrategyEvent.Type.APPROVAL_WAIT, 30, "Waiting for approval at 30%."),
                new StrategyEvent(at(70), StrategyEvent.Type.ABORT, 0, "Aborted: all traffic back to stable. Reason:"
                        + " aborted on request"),
                new StrategyEvent(at(80), StrategyEvent.Type.APPROVAL_WAIT, 0, "again")), List.of("aborted on request"));
        List<Approval> a = Rollout.from(refused).approvals();
        assertEquals(2, a.size());
        assertEquals(new Approval(at(11), at(70), 30, Approval.REFUSED, "Waiting for approval at 30%.",
                "Aborted: all traffic back to stable. Reason: aborted on request"), a.get(0));
        assertEquals(Duration.ofSeconds(59), a.get(0).waited());
        assertEquals(new Approval(at(80), null, 0, Approval.PENDING, "again", null), a.get(1));
        assertNull(a.get(1).waited());
        assertEquals(List.of(new Stop(at(70), Stop.ABORT, "aborted on request",
                "Aborted: all traffic back to stable. Reason: aborted on request")), Rollout.from(refused).stops());
    }

    @Test
    void anAbortsOwnReasonIsTheStopsReasonAndOldRecordsAreParsed() {
        String failure = "Analysis 'errors' failed: query 'x' returned [20]. Reason: unknown";
        DeployRecord record = canary(List.of(
                new StrategyEvent(at(0), StrategyEvent.Type.START, 0, "start"),
                StrategyEvent.abort(at(10), 0, "Aborted: all traffic back to stable (Istio reset. Reason: none)",
                        failure),
                new StrategyEvent(at(20), StrategyEvent.Type.ABORT, 0, "Aborted again. Reason: an old record")),
                List.of());
        List<Stop> stops = Rollout.from(record).stops();
        assertEquals(failure, stops.get(0).reason(), "the event's reason, not a guess from its text");
        assertEquals("Aborted: all traffic back to stable (Istio reset. Reason: none). Reason: " + failure,
                stops.get(0).detail());
        assertEquals("an old record", stops.get(1).reason(), "no reason of its own: read from the detail");
    }

    @Test
    void rollingDeployHasNoWeightsAndNamesItsWorkloads() {
        DeployRecord rolling = new DeployRecord("https://k8s.example:6443", DeployRecord.Outcome.FAILED, T0, at(42), 42_000,
                31, List.of(), List.of(new WorkloadResult("Deployment", "api", "prod", 3, 4, List.of("api:1"),
                        List.of("api:2"), "FAILED", "ImagePullBackOff")),
                List.of("Deployment/api rolled back to revision 3."),
                List.of(new TimelineEntry(at(1), "Applied Deployment/api: configured.")), "Deployment/api failed");
        Rollout r = Rollout.from(rolling);
        assertEquals("rolling", r.summary().strategy());
        assertEquals("Deployment/api", r.summary().app());
        assertEquals("prod", r.summary().namespace());
        assertEquals(List.of(), r.weights());
        assertEquals(List.of(new Stop(null, Stop.ROLLBACK, "Deployment/api rolled back to revision 3.",
                "Deployment/api rolled back to revision 3.")), r.stops());
        assertEquals(List.of(new TimelineRow(at(1), null, null, "Applied Deployment/api: configured.")),
                r.timeline());
    }

    @Test
    void analysesAreAddedWithoutTouchingTheRestAndTheirRowsComeOutInTimeOrder() {
        Series canary = new Series("error rate (canary)", "%", List.of(new Point(at(120), 4.0),
                new Point(at(60), 1.5), new Point(at(90), Double.NaN)));
        Analysis errors = new Analysis("error-rate", "FAILED", "too many errors", List.of(canary),
                List.of(new MeasurementRow(at(120), "error-rate", "q", "4", "FAILED"),
                        new MeasurementRow(at(60), "error-rate", "q", "1.5", "SUCCESSFUL")), null);
        ReportModel model = ReportModel.of("t", List.of(Fixtures.promoted(), Fixtures.aborted()))
                .withAnalysis(1, errors);

        assertEquals(List.of(), model.rollouts().get(0).analyses());
        Rollout r = model.rollouts().get(1);
        assertEquals(List.of(errors), r.analyses());
        assertEquals(List.of(new Point(at(60), 1.5), new Point(at(120), 4.0)), r.series().get(0).points(),
                "sorted, NaN left out");
        assertEquals(List.of("SUCCESSFUL", "FAILED"), r.measurements().stream().map(MeasurementRow::verdict).toList());
        assertEquals(List.of(), r.scores());
        assertEquals(Rollout.from(Fixtures.aborted()).weights(), r.weights());
    }

    private static DeployRecord canary(List<StrategyEvent> events, List<String> rollbacks) {
        return new DeployRecord("https://k8s.example:6443", DeployRecord.Outcome.ABORTED, T0, at(100), 100_000, 10, List.of(),
                List.of(), rollbacks, List.of(), "aborted on request", DeployRecord.Strategy.CANARY, "web", events);
    }
}
