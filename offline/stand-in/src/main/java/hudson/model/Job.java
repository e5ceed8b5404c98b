package hudson.model;

public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    protected Job(ItemGroup parent, String name) {}

    public RunT getLastBuild() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
