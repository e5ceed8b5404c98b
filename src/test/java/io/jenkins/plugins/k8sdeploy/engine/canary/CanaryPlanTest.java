package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryPlanTest {

    @Test
    void readsEveryKindOfStep() throws Exception {
        CanaryPlan p = CanaryPlan.parse("20%, pause 2m; weight 50\napproval, analysis error-rate, 100%");
        assertEquals(List.of(new CanaryPlan.SetWeight(20), new CanaryPlan.Pause(Duration.ofMinutes(2)),
                new CanaryPlan.SetWeight(50), new CanaryPlan.Approval(), new CanaryPlan.Analysis("error-rate"),
                new CanaryPlan.Promote()), p.steps());
        assertTrue(p.promotes());
        assertEquals(List.of("error-rate"), p.analyses());
        assertEquals("20%, pause 2m, 50%, approval, analysis error-rate, 100%", p.toString());
        assertEquals(p, CanaryPlan.parse(p.toString()), "the written form reads back the same");
    }

    @Test
    void noPlanMeansTheDefaultAndAPlanMayStopShortOfFull() throws Exception {
        assertEquals(CanaryPlan.DEFAULT, CanaryPlan.parse(null).toString());
        assertFalse(CanaryPlan.parse("20%").promotes());
    }

    @Test
    void badStepsAreNamed() {
        assertEquals("Canary plan '20%, wait a bit': 'wait a bit' is not a step. Steps are: a weight (20% or weight"
                + " 20), pause 2m, approval, analysis NAME, or 100% (full promotion); separate them with commas.",
                assertThrows(DeployException.class, () -> CanaryPlan.parse("20%, wait a bit")).getMessage());
        assertTrue(assertThrows(DeployException.class, () -> CanaryPlan.parse("120%")).getMessage()
                .contains("weight 120 is not between 0 and 100"));
        assertTrue(assertThrows(DeployException.class, () -> CanaryPlan.parse("100%, 20%")).getMessage()
                .contains("comes after full promotion"));
        assertTrue(assertThrows(DeployException.class, () -> CanaryPlan.parse("pause soon")).getMessage()
                .contains("is not a duration"));
    }

    @Test
    void aGateGivenToTheStepWaitsBeforeFullPromotionUnlessThePlanHasItsOwn() throws Exception {
        assertEquals("20%, pause 5m, approval, 100%",
                CanaryPlan.parse("20%, pause 5m, 100%").withApprovalBeforePromotion().toString());
        assertEquals("20%, approval, 50%, 100%",
                CanaryPlan.parse("20%, approval, 50%, 100%").withApprovalBeforePromotion().toString());
        assertEquals("20%", CanaryPlan.parse("20%").withApprovalBeforePromotion().toString(),
                "a plan that stops short of full has nothing to gate");
    }
}
