package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.Serializable;
import java.util.List;

/**
 * A success or failure condition over the values one query returned, such as {@code result < 0.05} or
 * {@code len(result) > 0 && all(result < 500)}. Parsed by a small grammar of its own, never by a script engine, so a
 * condition can compute nothing but a yes or no from the values; every mistake is reported when the analysis is
 * configured, before a canary starts.
 *
 * <pre>{@code
 * Condition c = Condition.parse("result[0] >= 0.99 && result[0] <= 1");
 * c.test(List.of(0.995));   // true
 * }</pre>
 *
 * <p>The language:
 * <ul>
 *   <li>numbers ({@code 0.05}, {@code 1e-3}), {@code true}, {@code false}, {@code + - * /} and parentheses;</li>
 *   <li>{@code result}: the values; where a number is expected it means the first value, {@code result[i]} the
 *       i-th (from 0); reading a value that is not there is an evaluation error, never a silent zero;</li>
 *   <li>{@code len(result)}, {@code min(result)}, {@code max(result)}, {@code sum(result)}, {@code avg(result)},
 *       {@code abs(x)}, {@code isNaN(x)};</li>
 *   <li>{@code all(COND)} and {@code any(COND)}: COND holds for every (some) value, {@code result} standing for each
 *       value in turn, e.g. {@code all(result < 0.05)}; over no values both are evaluation errors, because neither
 *       "all of nothing" nor "none of nothing" says anything about the canary;</li>
 *   <li>{@code < <= > >= == !=}, {@code && || !} (or {@code and or not}).</li>
 * </ul>
 * Comparisons follow IEEE 754: every comparison with NaN is false except {@code !=}; test for it with
 * {@code isNaN(result)}.
 *
 * <p>{@code ConditionParser} reads the text (tokens, grammar, types); {@code ConditionNodes} evaluates what it built.
 */
public final class Condition implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private transient ConditionNodes.Node root;

    private Condition(String source, ConditionNodes.Node root) {
        this.source = source;
        this.root = root;
    }

    /**
     * Reads a condition.
     *
     * @throws DeployException saying where and what was expected, e.g. {@code condition 'result <' is not valid:
     *     the condition ends where a value was expected (after 'result <')}
     */
    public static Condition parse(String source) throws DeployException {
        if (source == null || source.isBlank()) {
            throw new DeployException("A condition is empty; write one such as 'result < 0.05'.");
        }
        try {
            return new Condition(source.strip(), ConditionParser.compile(source.strip()));
        } catch (ConditionParser.Invalid e) {
            throw new DeployException("condition '" + source.strip() + "' is not valid: " + e.getMessage());
        }
    }

    /** The condition as written. */
    public String source() {
        return source;
    }

    /**
     * Evaluates the condition on the values a query returned.
     *
     * @throws EvaluationException when the condition reads something the values do not have (e.g. {@code result[1]}
     *     of one value, {@code result} of none)
     */
    public boolean test(List<Double> result) throws EvaluationException {
        if (root == null) {
            try {
                root = ConditionParser.compile(source);
            } catch (ConditionParser.Invalid e) {
                throw new IllegalStateException("condition '" + source + "' was valid when it was parsed", e);
            }
        }
        return (Boolean) root.eval(List.copyOf(result));
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c && c.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /** A condition could not be evaluated on these values; the measurement is an error, not a verdict. */
    public static final class EvaluationException extends Exception {
        private static final long serialVersionUID = 1L;

        EvaluationException(String message) {
            super(message);
        }
    }

}
