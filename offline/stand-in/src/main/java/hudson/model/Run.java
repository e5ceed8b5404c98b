package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.security.AccessControlled;
import java.io.File;
import java.io.IOException;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable
        implements AccessControlled {
    protected Run(@NonNull JobT job) throws IOException {}

    public @NonNull File getRootDir() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public @NonNull String getExternalizableId() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public @NonNull JobT getParent() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public @NonNull String getUrl() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public int getNumber() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public final long getTimeInMillis() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public @CheckForNull RunT getPreviousBuild() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public @NonNull EnvVars getEnvironment(@NonNull TaskListener listener) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public @NonNull java.util.List<Cause> getCauses() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public static @CheckForNull Run<?, ?> fromExternalizableId(String id)
            throws IllegalArgumentException, org.springframework.security.access.AccessDeniedException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
