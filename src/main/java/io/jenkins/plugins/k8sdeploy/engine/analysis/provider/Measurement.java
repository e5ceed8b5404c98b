package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link MetricProvider} brought back for one query: the values (possibly none, possibly NaN), or why there
 * are none (the provider was unreachable, the query was refused). Plain data: a provider reports trouble here instead
 * of throwing.
 *
 * <pre>{@code
 * Measurement.of(0.012, 0.015)                          // two series
 * Measurement.of(List.of())                             // the query matched no series
 * Measurement.error("HTTP 400: parse error at char 5")  // could not measure
 * }</pre>
 *
 * @param values the numbers, in the provider's order (e.g. one per series); empty when {@code error} is set
 * @param error why nothing could be measured, or null
 */
public record Measurement(List<Double> values, String error) implements Serializable {

    public Measurement {
        if (error != null && error.isBlank()) {
            error = "the provider gave no reason";
        }
        if (values == null || error != null) {
            values = List.of();
        } else {
            for (Double v : values) {
                if (v == null) {
                    throw new IllegalArgumentException("a measured value is null; use NaN for 'not a number'");
                }
            }
            values = List.copyOf(values);
        }
    }

    /** The values a query returned. */
    public static Measurement of(List<Double> values) {
        return new Measurement(values, null);
    }

    /** The values a query returned. */
    public static Measurement of(double... values) {
        return new Measurement(Arrays.stream(values).boxed().toList(), null);
    }

    /** Nothing could be measured, and why, in words a user can act on. */
    public static Measurement error(String why) {
        return new Measurement(List.of(), why == null ? "the provider gave no reason" : why);
    }

    /** True when nothing could be measured. */
    public boolean failed() {
        return error != null;
    }
}
