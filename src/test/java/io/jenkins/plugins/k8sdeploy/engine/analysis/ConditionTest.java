package io.jenkins.plugins.k8sdeploy.engine.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionTest {

    static Stream<Arguments> evaluations() {
        double nan = Double.NaN;
        return Stream.of(
                Arguments.of("result < 0.05", List.of(0.01), true),
                Arguments.of("result < 0.05", List.of(0.05), false),
                Arguments.of("result < 0.05", List.of(0.01, 0.9), true), // result is the first value
                Arguments.of("result[1] > 0.5", List.of(0.01, 0.9), true),
                Arguments.of("result[0] >= 0.99 && result[0] <= 1", List.of(0.995), true),
                Arguments.of("result[0] >= 0.99 && result[0] <= 1", List.of(1.01), false),
                Arguments.of("result >= 0.99 and result <= 1", List.of(0.99), true),
                Arguments.of("result < 1 || result > 5", List.of(6.0), true),
                Arguments.of("result < 1 or result > 5", List.of(3.0), false),
                Arguments.of("!(result < 1)", List.of(3.0), true),
                Arguments.of("not result < 1", List.of(0.5), false),
                Arguments.of("len(result) > 0", List.of(), false),
                Arguments.of("len(result) == 3", List.of(1.0, 2.0, 3.0), true),
                Arguments.of("len(result) == 0 || result < 0.05", List.of(), true), // || short-circuits
                Arguments.of("isNaN(result)", List.of(nan), true),
                Arguments.of("isNaN(result[0])", List.of(1.0), false),
                Arguments.of("result < 0.05", List.of(nan), false), // IEEE: NaN compares false
                Arguments.of("result != 0.05", List.of(nan), true),
                Arguments.of("all(result < 500)", List.of(100.0, 200.0, 499.0), true),
                Arguments.of("all(result < 500)", List.of(100.0, 600.0), false),
                Arguments.of("any(result > 500)", List.of(100.0, 600.0), true),
                Arguments.of("any(isNaN(result))", List.of(1.0, nan), true),
                Arguments.of("max(result) < 2 && min(result) > 0", List.of(1.0, 1.5), true),
                Arguments.of("avg(result) == 2", List.of(1.0, 3.0), true),
                Arguments.of("mean(result) == 2", List.of(1.0, 3.0), true),
                Arguments.of("sum(result) == 4", List.of(1.0, 3.0), true),
                Arguments.of("abs(result - 1) < 0.1", List.of(0.95), true),
                Arguments.of("result[0] / result[1] > 0.9", List.of(95.0, 100.0), true),
                Arguments.of("result * 100 < 5", List.of(0.04), true),
                Arguments.of("-result > -1", List.of(0.5), true),
                Arguments.of("result < 1e-3", List.of(0.0005), true),
                Arguments.of("result < .5", List.of(0.25), true),
                Arguments.of("2 + 3 * 4 == 14", List.of(), true), // precedence
                Arguments.of("(2 + 3) * 4 == 20", List.of(), true),
                Arguments.of("true", List.of(), true),
                Arguments.of("false || result > 1", List.of(2.0), true),
                Arguments.of("(result < 1) == true", List.of(0.5), true));
    }

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @MethodSource("evaluations")
    void evaluates(String condition, List<Double> values, boolean expected) throws Exception {
        assertEquals(expected, Condition.parse(condition).test(values));
    }

    static Stream<Arguments> parseErrors() {
        return Stream.of(
                Arguments.of("result <", "the condition ends where a number, result, result[i]"),
                Arguments.of("result <> 1", "'>' at position 9 was not expected"),
                Arguments.of("result = 1", "'=' at position 8 is not an operator; write '=='"),
                Arguments.of("result & x", "'&' at position 8 is not an operator; write '&&'"),
                Arguments.of("result < 0.05 ;", "';' at position 15 is not part of the language"),
                Arguments.of("foo(result) > 1", "'foo' at position 1 is not known"),
                Arguments.of("java.lang.Runtime", "'.' at position 5 is not part of the language"),
                Arguments.of("result", "it computes a number, not a yes or no"),
                Arguments.of("result + 1", "it computes a number, not a yes or no"),
                Arguments.of("0 < result < 1", "chains comparisons; join them with &&"),
                Arguments.of("result[x] > 1", "expected an index (0, 1, 2, ...)"),
                Arguments.of("result[0 > 1", "expected ']'"),
                Arguments.of("(result > 1", "')' was expected"),
                Arguments.of("len(result[0]) > 1", "len(...) at position 1 takes result"),
                Arguments.of("result > 1 && 2", "'&&' needs a yes or no, but was given a number"),
                Arguments.of("isNaN(result > 1)", "'isNaN' needs a number, but was given a yes or no"),
                Arguments.of("all(result)", "result is a list of numbers"),
                Arguments.of("true < false", "'<' at position 6 compares boolean with boolean"),
                Arguments.of("result < true", "'<' at position 8 compares number with boolean"),
                Arguments.of("1.2.3 > 0", "'1.2.3' at position 1 is not a number"),
                Arguments.of("result < 1 result", "'result' at position 12 was not expected; expected an operator"),
                Arguments.of("  ", "A condition is empty"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("parseErrors")
    void refusesWhatItCannotRead(String condition, String message) {
        DeployException e = assertThrows(DeployException.class, () -> Condition.parse(condition));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aParseErrorQuotesTheCondition() {
        assertEquals("condition 'result <' is not valid: the condition ends where a number, result, result[i], a"
                        + " function such as len(result), or '(' was expected (after 'result <')",
                assertThrows(DeployException.class, () -> Condition.parse("result <")).getMessage());
    }

    static Stream<Arguments> evaluationErrors() {
        return Stream.of(
                Arguments.of("result < 1", List.of(), "result has no first value: the query returned no values"),
                Arguments.of("result[1] < 1", List.of(0.5), "result[1] does not exist: the query returned 1 value"),
                Arguments.of("result[2] < 1", List.of(0.5, 0.7), "result[2] does not exist: the query returned 2"
                        + " values"),
                Arguments.of("all(result < 1)", List.of(),
                        "all(...) has no values to test: the query returned no values"),
                Arguments.of("any(result < 1)", List.of(),
                        "any(...) has no values to test: the query returned no values"),
                Arguments.of("max(result) < 1", List.of(), "max(result) has no values: the query returned no values"));
    }

    /** Reading what is not there is an error (the measurement is ERROR), never a silent 0 or a vacuous true. */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("evaluationErrors")
    void readingWhatIsNotThereIsAnError(String condition, List<Double> values, String message) throws Exception {
        Condition c = Condition.parse(condition);
        Condition.EvaluationException e = assertThrows(Condition.EvaluationException.class, () -> c.test(values));
        assertEquals(message, e.getMessage());
    }

    @Test
    void survivesSerialization() throws Exception {
        Condition c = Condition.parse("all(result < 500) && len(result) > 1");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        Condition back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (Condition) in.readObject();
        }
        assertEquals(c, back);
        assertTrue(back.test(List.of(1.0, 2.0)));
    }
}
