package org.jenkinsci.plugins.workflow.graph;

import hudson.model.Actionable;
import java.util.List;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;

public abstract class FlowNode extends Actionable {
    protected FlowNode(FlowExecution exec, String id, List<FlowNode> parents) {}

    public String getId() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
