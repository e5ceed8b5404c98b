package org.jenkinsci.plugins.workflow.flow;

import com.google.common.util.concurrent.ListenableFuture;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.IOException;
import java.util.List;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

public abstract class FlowExecution {
    public abstract List<FlowNode> getCurrentHeads();

    public abstract @CheckForNull FlowNode getNode(String id) throws IOException;

    public ListenableFuture<List<StepExecution>> getCurrentExecutions(boolean innerMostOnly) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
