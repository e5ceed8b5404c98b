package org.jenkinsci.plugins.workflow.job;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import java.io.IOException;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.kohsuke.stapler.HttpResponse;

public final class WorkflowRun extends Run<WorkflowJob, WorkflowRun> implements FlowExecutionOwner.Executable {
    public WorkflowRun(WorkflowJob job) throws IOException {
        super(job);
    }

    public @CheckForNull FlowExecution getExecution() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public HttpResponse doStop() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
