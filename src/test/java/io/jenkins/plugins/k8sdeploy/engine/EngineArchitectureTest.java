package io.jenkins.plugins.k8sdeploy.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine is where the behaviour lives and is tested without Jenkins, so it must not know Jenkins exists. Reads
 * the compiled classes, so a fully qualified name counts as much as an import.
 */
class EngineArchitectureTest {

    @Test
    void engineUsesNoJenkinsTypes() {
        JavaClasses engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.jenkins.plugins.k8sdeploy.engine");
        assertTrue(engine.size() >= 5, "the engine's classes were found: " + engine.size());

        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke..", "com.cloudbees..")
                .because("the engine runs outside Jenkins (command line, tests against a real API server);"
                        + " Jenkins glue belongs in io.jenkins.plugins.k8sdeploy.jenkins")
                .check(engine);
    }
}
