package io.jenkins.plugins.k8sdeploy.demo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The demo runs without Jenkins: it calls the engine directly, like k8spd, and holds no Jenkins type. */
class DemoArchitectureTest {

    @Test
    void demoUsesNoJenkinsTypesAndNoJenkinsGlue() {
        JavaClasses demo = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.jenkins.plugins.k8sdeploy.demo");
        assertTrue(demo.size() >= 5, "the demo's classes were found: " + demo.size());

        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke..", "com.cloudbees..",
                        "io.jenkins.plugins.k8sdeploy.jenkins..")
                .because("the demo is the engine's main job without Jenkins, for a newcomer's first minutes")
                .check(demo);
    }
}
