package hudson.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

public final class Secret implements Serializable {
    private Secret() {}

    @NonNull
    public String getPlainText() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    @NonNull
    public static Secret fromString(@CheckForNull String data) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
