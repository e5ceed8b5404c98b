package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

public final class Result implements Serializable {
    public static final @NonNull Result SUCCESS = null;

    public static final @NonNull Result FAILURE = null;

    public static final @NonNull Result ABORTED = null;

    private Result() {}
}
