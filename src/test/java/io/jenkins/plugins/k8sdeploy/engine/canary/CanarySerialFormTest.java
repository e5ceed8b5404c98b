package io.jenkins.plugins.k8sdeploy.engine.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.k8sdeploy.engine.Snapshots;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamField;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A canary driven by Pipeline is saved in the build's program.dat between units and read back after a restart, by
 * this version of the plugin or a later one: what is saved (the fields' names and types, serialVersionUID 1) stays
 * as it was before the canary was split into observe, decide and act. A change here breaks canaries in progress.
 */
class CanarySerialFormTest {

    @Test
    void theSavedFieldsAreThoseOfEarlierVersions() {
        ObjectStreamClass saved = ObjectStreamClass.lookup(CanaryRollout.class);
        assertEquals(1L, saved.getSerialVersionUID());
        Map<String, String> fields = Arrays.stream(saved.getFields()).collect(Collectors.toMap(
                ObjectStreamField::getName, f -> f.getType().getSimpleName(), (a, b) -> a, TreeMap::new));
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("server", "String"), Map.entry("namespace", "String"), Map.entry("app", "String"),
                Map.entry("canaryName", "String"), Map.entry("driver", "String"), Map.entry("revision", "String"),
                Map.entry("plan", "CanaryPlan"), Map.entry("router", "RouterSpec"),
                Map.entry("services", "CanaryServices"), Map.entry("canaryServiceOurs", "boolean"),
                Map.entry("timeout", "Duration"), Map.entry("abortOnFailure", "boolean"), Map.entry("total", "int"),
                Map.entry("hpa", "boolean"), Map.entry("maxSurge", "int"), Map.entry("maxUnavailable", "int"),
                Map.entry("fromImages", "List"), Map.entry("toImages", "List"), Map.entry("started", "Instant"),
                Map.entry("phase", "Phase"), Map.entry("step", "int"), Map.entry("weight", "int"),
                Map.entry("stepDeadline", "Instant"), Map.entry("pauseUntil", "Instant"),
                Map.entry("awaiting", "boolean"), Map.entry("approvalSince", "Instant"),
                Map.entry("approvalMessage", "String"), Map.entry("approvalPolicy", "Policy"),
                Map.entry("approvalsOnlyBy", "String"), Map.entry("promoteApplied", "boolean"),
                Map.entry("canaryDrained", "boolean"), Map.entry("abortIssued", "boolean"),
                Map.entry("requestedAbort", "boolean"), Map.entry("analysisRun", "Run"),
                Map.entry("lastHeartbeat", "Instant"), Map.entry("scaledGeneration", "Map"),
                Map.entry("failure", "String"), Map.entry("outcome", "String"), Map.entry("finishedAt", "Instant"),
                Map.entry("apiRequests", "long"), Map.entry("events", "List"), Map.entry("timeline", "List"),
                Map.entry("changes", "List"), Map.entry("analyses", "List"))), fields);
    }

    @Test
    void aSavedCanaryReadsBackWhereItStood() throws DeployException {
        Instant now = Instant.parse("2026-12-05T08:00:00Z");
        CanaryRollout r = new CanaryRollout("https://k8s", "shop", "web", "jenkins: job/1", "abc",
                CanaryPlan.parse("20%, approval, 100%"), null, new CanaryServices("shop", "web", "web-canary",
                        Map.of(), Map.of("track", "canary")), false, Duration.ofMinutes(5), true, 10, false, 3, 2,
                List.of("web:1"), List.of("web:2"), now);
        r.step = 1;
        r.weight = 20;
        r.awaiting = true;
        r.approvalSince = now;
        r.approvalMessage = "Promote the canary of web beyond 20%?";
        r.scaledGeneration.put("web-canary", 4L);

        CanaryRollout back = Snapshots.copy(r);

        assertEquals(r.status(), back.status());
        assertEquals(r.pendingApproval(), back.pendingApproval());
        assertEquals(Map.of("web-canary", 4L), back.scaledGeneration);
    }
}
