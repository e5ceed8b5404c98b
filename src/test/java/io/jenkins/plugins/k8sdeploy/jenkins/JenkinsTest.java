package io.jenkins.plugins.k8sdeploy.jenkins;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * A test that needs a running Jenkins (JenkinsRule family). Runs in the real build (`mvn verify`); the offline build
 * compiles it and leaves it out by its tag, since there is no Jenkins to run it against there.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("jenkins")
@WithJenkins
public @interface JenkinsTest {}
