package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.util.Secret;

public class PasswordParameterDefinition extends ParameterDefinition {
    public PasswordParameterDefinition(
            @NonNull String name, @CheckForNull Secret defaultValueAsSecret, @CheckForNull String description) {
        super(name);
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
