package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.io.Serializable;

public abstract class StepContext implements Serializable {
    public abstract @Nullable <T> T get(Class<T> key) throws IOException, InterruptedException;
}
