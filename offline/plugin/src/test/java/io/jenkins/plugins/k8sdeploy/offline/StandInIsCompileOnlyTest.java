package io.jenkins.plugins.k8sdeploy.offline;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The offline build's promise: tests run without the Jenkins API stand-in, so none can pass because of a stand-in's
 * behaviour. If the stand-in leaked onto the test classpath, these classes would load.
 */
class StandInIsCompileOnlyTest {

    @Test
    void jenkinsCoreTypesAreAbsentAtTestRuntime() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("hudson.model.Run"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("jenkins.model.Jenkins"));
    }

    @Test
    void pipelineCredentialsAndTestHarnessTypesAreAbsentAtTestRuntime() {
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("org.jenkinsci.plugins.workflow.steps.StepDescriptor"));
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("com.cloudbees.plugins.credentials.CredentialsProvider"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.jvnet.hudson.test.JenkinsRule"));
    }
}
