package io.jenkins.plugins.k8sdeploy.engine.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

/** The record as JSON (for files, the REST API and the command line) and as maps (for a Pipeline step's result). */
public final class RecordJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private RecordJson() {}

    public static String toJson(DeployRecord record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a deploy record is plain data and always serializes", e);
        }
    }

    public static DeployRecord fromJson(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, DeployRecord.class);
    }

    /** Nested maps, lists, strings and numbers only: what Pipeline scripts can read and CPS can serialize. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(DeployRecord record) {
        return MAPPER.convertValue(MAPPER.valueToTree(record), Map.class);
    }
}
