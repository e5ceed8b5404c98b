package hudson.model;

public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    protected Job(ItemGroup parent, String name) {}

    public void addProperty(JobProperty<? super JobT> jobProp) throws java.io.IOException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public RunT getLastBuild() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
