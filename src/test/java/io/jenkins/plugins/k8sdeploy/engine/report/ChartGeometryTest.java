package io.jenkins.plugins.k8sdeploy.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.k8sdeploy.engine.report.ChartGeometry.Stretch;
import io.jenkins.plugins.k8sdeploy.engine.report.ChartGeometry.XY;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Point;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Series;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.WeightStep;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChartGeometryTest {
    private static final Instant T0 = Instant.parse("2025-03-14T09:00:00Z");
    /** 900 s on the time axis, 10 at the top of the second axis. */
    private static final ChartGeometry G = new ChartGeometry(T0, 900, 10);

    private static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    @ParameterizedTest(name = "{0} s is x {1}")
    @CsvSource({"0, 60", "30, 90", "450, 510", "900, 960", "-5, 60", "1000, 960", "0.5, 60.5"})
    void timeGoesFromTheLeftToTheRightOfThePlotAndIsHeldToIt(double seconds, double x) {
        assertEquals(x, G.x(seconds), 1e-9);
        assertEquals(x, G.x(at(seconds)), 1e-9);
    }

    @ParameterizedTest(name = "{0}% is y {1}")
    @CsvSource({"0, 220", "20, 180", "50, 120", "100, 20", "-10, 220", "120, 20"})
    void weightGoesFromTheBottomToTheTopAndIsHeldTo0To100(double percent, double y) {
        assertEquals(y, ChartGeometry.yWeight(percent), 1e-9);
    }

    @ParameterizedTest(name = "{0} on a second axis to 10 is y {1}")
    @CsvSource({"0, 220", "5, 120", "10, 20", "12, 20", "-1, 220", "2.5, 170"})
    void theSecondAxisGoesFrom0ToItsRoundTop(double value, double y) {
        assertEquals(y, G.yRight(value), 1e-9);
    }

    @ParameterizedTest(name = "values up to {0}: the second axis goes to {1}")
    @CsvSource({"7.2, 10", "0.041, 0.05", "1, 1", "1.5, 2", "2.2, 2.5", "3, 5", "0, 1", "-3, 1", "120, 200"})
    void theSecondAxisTopIsRound(double max, double top) {
        assertEquals(top, ChartGeometry.rightMax(List.of(new Series("s", "", List.of(new Point(T0, max / 2),
                new Point(T0.plusSeconds(1), max))))), 1e-12);
    }

    @ParameterizedTest(name = "{0} s: a tick every {1} s")
    @CsvSource({"1, 1", "8, 1", "9, 2", "40, 5", "900, 120", "3600, 600", "86400, 10800", "90000, 21600", "1000000, 172800"})
    void ticksMakeAtMostEightSteps(double span, long step) {
        assertEquals(step, new ChartGeometry(T0, span, 1).tickStep());
    }

    @Test
    void ticksRunFromZeroToTheSpan() {
        assertEquals(List.of(0L, 120L, 240L, 360L, 480L, 600L, 720L, 840L), G.tickSeconds());
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L), new ChartGeometry(T0, 40, 1).tickSeconds());
    }

    @Test
    void theWeightIsALineOfStepsUntilTheEndOfTheLast() {
        List<WeightStep> steps = List.of(new WeightStep(T0, at(30), 0, "START"),
                new WeightStep(at(30), at(450), 20, "WEIGHT"), new WeightStep(at(450), at(900), 100, "PROMOTED"));
        List<XY> line = G.weightLine(steps);
        assertEquals(List.of(new XY(60, 220), new XY(90, 220), new XY(90, 180), new XY(510, 180), new XY(510, 20),
                new XY(960, 20)), line);
        assertEquals("60,220 90,220 90,180 510,180 510,20 960,20", ChartGeometry.points(line));
        assertEquals(new XY(90, 180), G.weightDot(steps.get(1)));
        assertEquals(List.of(), G.weightLine(List.of()));
    }

    @Test
    void aSeriesPointIsOnTheSecondAxisAndAStretchIsAtLeastOneWide() {
        assertEquals(new XY(90, 120), G.seriesPoint(new Point(at(30), 5)));
        assertEquals(new Stretch(90, 420), G.stretch(at(30), at(450)));
        assertEquals(new Stretch(90, 1), G.stretch(at(30), at(30)));
    }

    @Test
    void theSpanIsTheRolloutsEndOrItsLastSeriesPointAndAtLeastOneSecond() {
        ReportModel.Rollout r = ReportModel.Rollout.from(Fixtures.promoted());
        assertEquals(r.secondsFromStart(r.summary().finished()), ChartGeometry.span(r));
        ReportModel.Rollout later = r.withAnalysis(new ReportModel.Analysis("a", null, null, List.of(new Series("s",
                "", List.of(new Point(r.summary().finished().plusSeconds(60), 1)))), List.of(), List.of()));
        assertEquals(ChartGeometry.span(r) + 60, ChartGeometry.span(later));
        assertEquals(new ChartGeometry(r.summary().started(), ChartGeometry.span(r), 1), ChartGeometry.of(r));
    }

    @Test
    void coordinatesHaveOneDecimalAtMost() {
        assertEquals("65.6", ChartGeometry.coord(65.625));
        assertEquals("960", ChartGeometry.coord(960.0));
        assertEquals("0.1", ChartGeometry.coord(0.05));
        assertEquals("-3", ChartGeometry.coord(-3.0));
    }
}
