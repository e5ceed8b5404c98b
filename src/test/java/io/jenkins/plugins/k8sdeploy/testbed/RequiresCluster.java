package io.jenkins.plugins.k8sdeploy.testbed;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against the local control plane (testbed/). Each test gets a {@link TestCluster}
 * parameter with admin and restricted clients and a fresh namespace, deleted afterwards. If the control plane cannot
 * be started, every such test fails with the components' last log lines: it never skips.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("cluster")
@ExtendWith(TestBedExtension.class)
public @interface RequiresCluster {}
