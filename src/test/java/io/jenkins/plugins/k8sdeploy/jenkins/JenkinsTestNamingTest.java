package io.jenkins.plugins.k8sdeploy.jenkins;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The offline build recognises JenkinsRule-family tests by name, before JUnit loads them; a {@link JenkinsTest} class
 * with another name would break its test discovery. Reads bytecode only, so it runs without Jenkins.
 */
class JenkinsTestNamingTest {

    @Test
    void everyJenkinsTestClassIsNamedSo() {
        classes()
                .that()
                .areAnnotatedWith(JenkinsTest.class)
                .should()
                .haveSimpleNameEndingWith("JenkinsTest")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                        .importPackages("io.jenkins.plugins.k8sdeploy"));
    }
}
