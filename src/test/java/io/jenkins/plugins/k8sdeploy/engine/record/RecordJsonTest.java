package io.jenkins.plugins.k8sdeploy.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
    private static final Instant T0 = Instant.parse("2025-03-14T09:00:00Z");

    private static DeployRecord canary(StrategyEvent... events) {
        return new DeployRecord("https://k8s.example:6443", DeployRecord.Outcome.ABORTED, T0, T0.plusSeconds(60), 60_000, 7,
                List.of(), List.of(), List.of(), List.of(), "why", DeployRecord.Strategy.CANARY, "web", List.of(events));
    }

    @Test
    void anEventOfARecordWrittenBeforeReasonsHasNone() throws JsonProcessingException {
        String old = """
                {"server":"https://k8s.example:6443","outcome":"ABORTED","started":"2025-03-14T09:00:00Z",
                 "finished":"2025-03-14T09:01:00Z","durationMillis":60000,"apiRequests":7,"objects":[],"workloads":[],
                 "rollbacks":[],"timeline":[],"failure":"why","strategy":"canary","app":"web",
                 "events":[{"at":"2025-03-14T09:00:30Z","type":"ABORT","weight":0,
                            "detail":"Aborted: all traffic back to stable. Reason: why"}],
                 "analyses":[]}""";
        StrategyEvent e = RecordJson.fromJson(old).events().get(0);
        assertEquals(new StrategyEvent(T0.plusSeconds(30), StrategyEvent.Type.ABORT, 0,
                "Aborted: all traffic back to stable. Reason: why"), e);
        assertNull(e.reason());
    }

    @Test
    void aReasonIsWrittenAndReadBackAndLeftOutWhenThereIsNone() throws JsonProcessingException {
        DeployRecord r = canary(new StrategyEvent(T0, StrategyEvent.Type.START, 0, "start"),
                StrategyEvent.abort(T0.plusSeconds(30), 0, "Aborted: all traffic back to stable", "why"));
        String json = RecordJson.toJson(r);
        assertEquals(1, json.split("\"reason\"", -1).length - 1, json);
        assertTrue(json.contains("\"detail\" : \"Aborted: all traffic back to stable. Reason: why\",\n"
                + "    \"reason\" : \"why\"\n"), json);
        assertEquals(r, RecordJson.fromJson(json));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) RecordJson.toMap(r).get("events");
        assertFalse(events.get(0).containsKey("reason"), "a Pipeline script sees the map it always saw");
        assertEquals("why", events.get(1).get("reason"));
    }

    @Test
    void anAbortsDetailEndsWithItsReason() {
        assertEquals(new StrategyEvent(T0, StrategyEvent.Type.ABORT, 0, "Aborted. Reason: analysis 'errors' failed",
                "analysis 'errors' failed"), StrategyEvent.abort(T0, 0, "Aborted", "analysis 'errors' failed"));
        assertEquals(new StrategyEvent(T0, StrategyEvent.Type.ABORT, null, "Aborted"),
                StrategyEvent.abort(T0, null, "Aborted", null));
    }

    @Test
    void anEventWithAReasonSurvivesJavaSerialization() throws IOException, ClassNotFoundException {
        StrategyEvent e = StrategyEvent.abort(T0, 0, "Aborted", "why");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(e, in.readObject());
        }
    }
}
