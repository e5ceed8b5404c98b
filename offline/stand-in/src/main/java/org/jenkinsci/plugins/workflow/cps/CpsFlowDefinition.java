package org.jenkinsci.plugins.workflow.cps;

import hudson.model.Descriptor;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;
import org.kohsuke.stapler.DataBoundConstructor;

public class CpsFlowDefinition extends FlowDefinition {
    @DataBoundConstructor
    public CpsFlowDefinition(String script, boolean sandbox) throws Descriptor.FormException {}
}
