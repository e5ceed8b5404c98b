package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.File;
import java.io.IOException;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
    protected Run(@NonNull JobT job) throws IOException {}

    public @NonNull File getRootDir() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public @NonNull String getExternalizableId() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
