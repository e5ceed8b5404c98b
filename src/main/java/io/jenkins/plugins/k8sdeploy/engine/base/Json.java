package io.jenkins.plugins.k8sdeploy.engine.base;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The engine's JSON mappers, configured once: Jackson's defaults for reading (unknown properties fail, a missing
 * record component is null). {@link #mapper()} also reads and writes {@code java.time} values, as ISO 8601 text
 * ({@code "2025-03-14T09:00:30Z"}), not numbers. Reading a tree or a map is the same with either mapper.
 *
 * <p>The mappers are shared and thread-safe: configure nothing on them. A caller that writes differently takes an
 * {@link ObjectWriter} ({@link #pretty()}), which is immutable.
 *
 * <pre>{@code
 * JsonNode answer = Json.mapper().readTree(body);
 * String text = Json.pretty().writeValueAsString(record);   // indented, fields in declaration order
 * String key = Json.canonical().writeValueAsString(value);  // one line, properties and map keys sorted
 * }</pre>
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /**
     * Properties in alphabetical order and map entries by key: the same value always gives the same text, whatever
     * the order of its fields or its maps. A mapper of its own because Jackson sets property order per mapper, not per
     * writer; without the time module, exactly as the canary's annotations and template hashes have always been
     * written (they hold no time), so a new version hashes a template as the old one did.
     */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private static final ObjectWriter PRETTY = MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** The mapper for reading anything and writing compact JSON (properties in declaration order). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Indented JSON, for files people read (deploy records). */
    public static ObjectWriter pretty() {
        return PRETTY;
    }

    /** Sorted, compact JSON: for text that is compared or hashed (what a canary writes into annotations). */
    public static ObjectMapper canonical() {
        return CANONICAL;
    }
}
