package io.jenkins.plugins.k8sdeploy.engine.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SubstitutionTest {

    static String apply(String text, Map<String, String> vars) throws DeployException {
        return Substitution.apply(new ManifestSource("k8s/app.yaml", text), vars).text();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "image: web:${TAG}            | image: web:1.4.2",
        "cmd: echo $HOME              | cmd: echo $HOME",
        "keep: $${TAG}                | keep: ${TAG}",
        "price: $5 and ${TAG}         | price: $5 and 1.4.2",
        "two: ${TAG}-${git.sha}       | two: 1.4.2-abc$1",
    })
    void substitutesOnlyBracedNamesFromTheMap(String in, String out) throws DeployException {
        assertEquals(out, apply(in, Map.of("TAG", "1.4.2", "git.sha", "abc$1")));
    }

    @Test
    void unknownVariableNamesItsFileAndLine() {
        DeployException e = assertThrows(DeployException.class,
                () -> apply("a: 1\nb: 2\nimage: web:${TGA}\n", Map.of("TAG", "1")));

        assertEquals("Unknown variable ${TGA} in k8s/app.yaml line 3. Expected one of the variables given to the"
                + " deploy (the build's environment and the step's variables); write $${TGA} to keep it as text.",
                e.getMessage());
    }

    @Test
    void anExpressionIsNotAVariable() {
        DeployException e = assertThrows(DeployException.class, () -> apply("x: ${TAG:-latest}\n", Map.of()));

        assertEquals("'${TAG:-latest}' in k8s/app.yaml line 1 is not a variable name. Expected ${NAME} with letters,"
                + " digits, '_', '.' or '-', or $${...} to keep the text as it is.", e.getMessage());
    }
}
