package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * In a Jelly view, {@code ${%Text (more)}} is not a text with parentheses: Jelly reads "(more)" as the arguments of the
 * message "Text " and evaluates {@code more} as an expression. "App (stable Deployment)" made the whole page fail to
 * parse in a real Jenkins; "Analyses (YAML)" silently showed "Analyses". Only a key followed by an argument list
 * ({@code ${%note(it.maxBuilds)}}, with the text in a .properties file) may use parentheses.
 */
class ViewTextsTest {
    private static final Pattern LOCALIZED = Pattern.compile("\\$\\{%([^}]*)}");
    private static final Pattern KEY_WITH_ARGUMENTS = Pattern.compile("[A-Za-z0-9_.]+\\([^()]*\\)");

    @Test
    void localizedTextsHaveNoParenthesesExceptArgumentLists() throws IOException {
        List<String> wrong = new ArrayList<>();
        Path views = Path.of("src/main/resources");
        if (!Files.isDirectory(views)) {
            views = Path.of("../../src/main/resources"); // the offline build runs from offline/plugin
        }
        try (Stream<Path> files = Files.walk(views)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jelly")).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Matcher m = LOCALIZED.matcher(text);
                while (m.find()) {
                    String inside = m.group(1);
                    if (inside.contains("(") && !KEY_WITH_ARGUMENTS.matcher(inside).matches()) {
                        wrong.add(views.relativize(f) + ": ${%" + inside + "}");
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
