package io.jenkins.plugins.k8sdeploy.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    private static DeployRecord record(DeployRecord.Outcome outcome, DeployRecord.Strategy strategy) {
        return new DeployRecord("https://k8s.example:6443", outcome, T0, T0.plusSeconds(60), 60_000, 7, List.of(),
                List.of(), List.of(), List.of(), "why", strategy, "web", List.of());
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

    /** Written by the version whose outcomes, event types and strategies were strings. */
    private static final String STRING_ERA = """
                {
                  "server" : "https://k8s.example:6443",
                  "outcome" : "FAILED",
                  "started" : "2025-03-14T09:00:00Z",
                  "finished" : "2025-03-14T09:01:00Z",
                  "durationMillis" : 60000,
                  "apiRequests" : 7,
                  "objects" : [ ],
                  "workloads" : [ ],
                  "rollbacks" : [ ],
                  "timeline" : [ ],
                  "failure" : "why",
                  "strategy" : "blueGreen",
                  "app" : "web",
                  "events" : [ {
                    "at" : "2025-03-14T09:00:00Z",
                    "type" : "START",
                    "weight" : 0,
                    "detail" : "Started"
                  }, {
                    "at" : "2025-03-14T09:00:30Z",
                    "type" : "ABORT",
                    "weight" : 0,
                    "detail" : "Switched back. Reason: why",
                    "reason" : "why"
                  } ],
                  "analyses" : [ ]
                }""";

    @Test
    void aRecordWrittenWhenTheyWereStringsReadsAsEnumsAndWritesBackTheSame() throws JsonProcessingException {
        DeployRecord r = RecordJson.fromJson(STRING_ERA);
        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals(DeployRecord.Strategy.BLUE_GREEN, r.strategy());
        assertEquals(List.of(StrategyEvent.Type.START, StrategyEvent.Type.ABORT),
                r.events().stream().map(StrategyEvent::type).toList());
        assertEquals(STRING_ERA, RecordJson.toJson(r), "byte for byte");
    }

    @Test
    void eachConstantIsWrittenAsItsStringWas() {
        assertEquals(List.of("rolling", "canary", "blueGreen"), java.util.Arrays.stream(DeployRecord.Strategy.values())
                .map(st -> RecordJson.toMap(record(DeployRecord.Outcome.FAILED, st)).get("strategy")).toList());
        for (DeployRecord.Outcome o : DeployRecord.Outcome.values()) {
            assertTrue(RecordJson.toJson(record(o, DeployRecord.Strategy.CANARY)).contains("\"outcome\" : \"" + o.name() + "\",\n"));
        }
        for (StrategyEvent.Type t : StrategyEvent.Type.values()) {
            assertTrue(RecordJson.toJson(canary(new StrategyEvent(T0, t, 0, "x"))).contains("\"type\" : \"" + t.name()
                    + "\",\n"), t.name());
        }
    }

    @Test
    void aPipelineScriptReadsTheSameStrings() {
        Map<String, Object> map = RecordJson.toMap(canary(new StrategyEvent(T0, StrategyEvent.Type.START, 0, "s")));
        assertEquals("ABORTED", map.get("outcome"));
        assertEquals("canary", map.get("strategy"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) map.get("events");
        assertEquals("START", events.get(0).get("type"));
    }

    /** As an unknown field is (JsonTest): the CLI says which value is wrong, the build page leaves the file out. */
    @Test
    void anUnknownOutcomeTypeOrStrategyIsRefusedByName() {
        for (String[] wrong : List.of(new String[] {"\"outcome\" : \"FAILED\"", "\"outcome\" : \"FAILED<b>\""},
                new String[] {"\"strategy\" : \"blueGreen\"", "\"strategy\" : \"BLUE_GREEN\""},
                new String[] {"\"type\" : \"START\"", "\"type\" : \"LATER\""})) {
            String json = STRING_ERA.replace(wrong[0], wrong[1]);
            JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> RecordJson.fromJson(json));
            String value = wrong[1].substring(wrong[1].indexOf(": ") + 2);
            assertTrue(e.getOriginalMessage().startsWith("Cannot deserialize value of type")
                    && e.getOriginalMessage().contains("from String " + value + ": not one of the values accepted"),
                    e.getOriginalMessage());
        }
    }
}
