package io.jenkins.plugins.k8sdeploy.engine.manifest;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in manifest text with values from one given map, and nothing else: no environment, no
 * system properties, no expressions. Only the braced form is a variable, so shell-like {@code $HOME} in a command
 * line stays as written; {@code $${NAME}} is kept as the literal {@code ${NAME}}.
 *
 * <p>An unknown variable is an error naming it, its file and line, so a typo never deploys an empty string.
 */
public final class Substitution {
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\$?)\\{([^}\\n]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private Substitution() {}

    public static ManifestSource apply(ManifestSource source, Map<String, String> variables) throws DeployException {
        String text = source.text();
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String name = m.group(2);
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = "${" + name + "}";
            } else if (!NAME.matcher(name).matches()) {
                throw new DeployException("'${" + name + "}' in " + where(source, m.start()) + " is not a variable"
                        + " name. Expected ${NAME} with letters, digits, '_', '.' or '-', or $${...} to keep the"
                        + " text as it is.");
            } else if (variables.containsKey(name)) {
                replacement = variables.get(name);
            } else {
                throw new DeployException("Unknown variable ${" + name + "} in " + where(source, m.start())
                        + ". Expected one of the variables given to the deploy (the build's environment and the"
                        + " step's variables); write $${" + name + "} to keep it as text.");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return new ManifestSource(source.origin(), out.toString());
    }

    static String where(ManifestSource source, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (source.text().charAt(i) == '\n') {
                line++;
            }
        }
        return source.origin() + " line " + line;
    }
}
