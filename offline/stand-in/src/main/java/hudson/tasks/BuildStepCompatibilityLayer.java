package hudson.tasks;

@Deprecated
public abstract class BuildStepCompatibilityLayer implements BuildStep {}
