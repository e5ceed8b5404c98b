package io.jenkins.plugins.k8sdeploy.engine.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    record Event(String type, Instant at, String reason) {}

    record Routing(String zebra, String apple, Map<String, String> labels) {}

    @Test
    void prettyWritesTimesAsIsoTextIndentedInDeclarationOrder() throws JsonProcessingException {
        assertEquals("{\n  \"type\" : \"START\",\n  \"at\" : \"2025-03-14T09:00:30Z\",\n  \"reason\" : null\n}",
                Json.pretty().writeValueAsString(new Event("START", Instant.parse("2025-03-14T09:00:30Z"), null)));
        assertEquals("{\"type\":\"START\",\"at\":\"2025-03-14T09:00:30Z\",\"reason\":null}",
                Json.mapper().writeValueAsString(new Event("START", Instant.parse("2025-03-14T09:00:30Z"), null)));
    }

    @Test
    void aMissingRecordComponentIsReadAsNullAndAnUnknownOneFails() throws JsonProcessingException {
        Event e = Json.mapper().readValue("{\"type\":\"ABORT\",\"at\":\"2025-03-14T09:00:30Z\"}", Event.class);
        assertEquals(new Event("ABORT", Instant.parse("2025-03-14T09:00:30Z"), null), e);
        assertNull(e.reason());
        assertThrows(UnrecognizedPropertyException.class,
                () -> Json.mapper().readValue("{\"type\":\"ABORT\",\"colour\":\"red\"}", Event.class));
    }

    @Test
    void canonicalSortsPropertiesAndMapKeysOnOneLine() throws JsonProcessingException {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("track", "stable");
        labels.put("app", "web");
        assertEquals("{\"apple\":\"a\",\"labels\":{\"app\":\"web\",\"track\":\"stable\"},\"zebra\":\"z\"}",
                Json.canonical().writeValueAsString(new Routing("z", "a", labels)));
        assertEquals(new Routing("z", "a", Map.of("app", "web", "track", "stable")), Json.canonical().readValue(
                "{\"zebra\":\"z\",\"apple\":\"a\",\"labels\":{\"track\":\"stable\",\"app\":\"web\"}}", Routing.class));
    }
}
