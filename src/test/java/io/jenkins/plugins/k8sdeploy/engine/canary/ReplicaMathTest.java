package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.canary.ReplicaMath.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The replica maths of a canary without a router, as the table in {@link ReplicaMath}'s documentation. */
class ReplicaMathTest {

    @ParameterizedTest(name = "{0} pods at {1}% -> {2} canary, {3} stable")
    @CsvSource({
        "10, 41, 4, 6",
        "10, 45, 5, 5",
        "10, 20, 2, 8",
        "10, 50, 5, 5",
        "4, 20, 1, 3",
        "4, 10, 0, 4",
        "3, 50, 2, 1",
        "3, 33, 1, 2",
        "1, 50, 1, 0",
        "1, 49, 0, 1",
        "5, 0, 0, 5",
        "5, 100, 5, 0",
    })
    void splitRoundsToTheNearestPod(int total, int weight, int canary, int stable) {
        assertEquals(new Split(stable, canary), ReplicaMath.split(total, weight));
    }

    @ParameterizedTest(name = "maxSurge {0} of {1} -> {2}; maxUnavailable -> {3}")
    @CsvSource({
        "25%, 10, 3, 2",
        "25%, 4, 1, 1",
        "50%, 3, 2, 1",
        "2, 10, 2, 2",
        "0, 10, 0, 0",
    })
    void limitsResolveLikeKubernetes(String value, int total, int surge, int unavailable) {
        assertEquals(surge, ReplicaMath.resolve(value, total, true));
        assertEquals(unavailable, ReplicaMath.resolve(value, total, false));
    }

    @ParameterizedTest(name = "router: {0} pods at {1}% -> {2} canary pods")
    @CsvSource({"10, 20, 2", "10, 1, 1", "3, 50, 2", "10, 0, 0", "4, 100, 4"})
    void withARouterTheCanaryGetsEnoughPodsForItsWeight(int total, int weight, int canary) {
        assertEquals(canary, ReplicaMath.canaryPodsWithRouter(total, weight));
    }

    @ParameterizedTest(name = "{0} pods, maxSurge {1}, maxUnavailable {2}: {3}% -> {4}%")
    @CsvSource({
        "10, 3, 2, 0, 20",
        "10, 3, 2, 20, 50",
        "10, 0, 1, 0, 20",
        "10, 1, 0, 0, 50",
        "10, 3, 2, 50, 0",
        "10, 0, 0, 0, 30",
        "4, 1, 1, 0, 50",
    })
    void movesStayWithinSurgeAndUnavailabilityAndArrive(int total, int surge, int unavailable, int from, int to) {
        Split current = ReplicaMath.split(total, from);
        Split target = ReplicaMath.split(total, to);
        List<Split> path = new ArrayList<>();
        for (int i = 0; i < 50 && !current.equals(target); i++) {
            Split next = ReplicaMath.next(total, surge, unavailable, current, current, target);
            int allowedSurge = surge == 0 && unavailable == 0 ? 1 : surge;
            assertTrue(next.total() <= total + allowedSurge, "at most total + maxSurge pods: " + path + " " + next);
            // pods that were ready before this change and are kept
            int keptReady = Math.min(current.stable(), next.stable()) + Math.min(current.canary(), next.canary());
            assertTrue(keptReady >= total - unavailable, "at least total - maxUnavailable available: " + path + " "
                    + next);
            path.add(next);
            current = next; // every pod becomes ready before the next move
        }
        assertEquals(target, current, "arrives: " + path);
    }
}
