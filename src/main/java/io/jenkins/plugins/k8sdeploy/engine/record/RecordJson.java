package io.jenkins.plugins.k8sdeploy.engine.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.k8sdeploy.engine.base.Json;
import java.util.Map;

/**
 * The record as JSON (for files, the REST API and the command line: indented, times as ISO 8601) and as maps (for a
 * Pipeline step's result), through the engine's one {@link Json} mapper.
 */
public final class RecordJson {
    private RecordJson() {}

    public static String toJson(DeployRecord record) {
        try {
            return Json.pretty().writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a deploy record is plain data and always serializes", e);
        }
    }

    public static DeployRecord fromJson(String json) throws JsonProcessingException {
        return Json.mapper().readValue(json, DeployRecord.class);
    }

    /** Nested maps, lists, strings and numbers only: what Pipeline scripts can read and CPS can serialize. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(DeployRecord record) {
        return Json.mapper().convertValue(Json.mapper().valueToTree(record), Map.class);
    }
}
