package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.IOException;
import java.io.Serializable;

public abstract class StepContext implements Serializable {
    @CheckForNull
    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;
}
