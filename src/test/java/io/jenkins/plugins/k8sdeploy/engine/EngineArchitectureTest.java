package io.jenkins.plugins.k8sdeploy.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The engine is where the behaviour lives and is tested without Jenkins, so it must not know Jenkins exists. Reads
 * the compiled classes, so a fully qualified name counts as much as an import.
 */
class EngineArchitectureTest {

    @Test
    void engineUsesNoJenkinsTypes() {
        JavaClasses engine = mainClasses("io.jenkins.plugins.k8sdeploy.engine");
        assertTrue(engine.size() >= 5, "the engine's classes were found: " + engine.size());

        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke..", "com.cloudbees..")
                .because("the engine runs outside Jenkins (command line, tests against a real API server);"
                        + " Jenkins glue belongs in io.jenkins.plugins.k8sdeploy.jenkins")
                .check(engine);
    }

    /**
     * No package cycles in the engine. Each package under {@code engine} is a slice of its own, sub-packages too
     * ({@code analysis.provider} is a slice apart from {@code analysis}), and so is {@code engine} itself, where the
     * entry points live (DeployEngine, RollbackEngine, StatusEngine and their requests). A cycle means the packages
     * can only be understood, tested and changed together; the usual fix is to move the shared type to the package
     * that is used (as {@code analysis.AnalysisPort}, the port every rollout calls its analyses through, or
     * {@code base.DeployException}, the error every package throws) or to put an interface in the lower package (as
     * {@code strategy.GateRollout.Next}, which blue-green's {@code GatedSwitch} implements).
     */
    @Test
    void enginePackagesAreFreeOfCycles() {
        String engine = "io.jenkins.plugins.k8sdeploy.engine";
        slices().assignedFrom(new SliceAssignment() {
                    @Override
                    public SliceIdentifier getIdentifierOf(JavaClass c) {
                        String p = c.getPackageName();
                        return p.equals(engine) ? SliceIdentifier.of("engine")
                                : p.startsWith(engine + ".") ? SliceIdentifier.of(p.substring(engine.length() + 1))
                                : SliceIdentifier.ignore();
                    }

                    @Override
                    public String getDescription() {
                        return "the engine's packages, each apart (engine itself included)";
                    }
                })
                .should()
                .beFreeOfCycles()
                .check(mainClasses(engine));
    }

    /**
     * No cycles between the plugin's top-level parts: engine, the Jenkins glue, the command line and the demo. The
     * engine is one slice here (its own packages are checked above).
     */
    @Test
    void pluginPartsAreFreeOfCycles() {
        slices().matching("io.jenkins.plugins.k8sdeploy.(*)..")
                .should()
                .beFreeOfCycles()
                .check(mainClasses("io.jenkins.plugins.k8sdeploy"));
    }

    /**
     * Where fabric8 (the Kubernetes client and its object model) may be used: the cluster port ({@code kube}) and
     * the packages that read and write Kubernetes objects (the engines, {@code prepare}, {@code apply},
     * {@code rollout}, {@code traffic}, the two strategies, and the command line and demo that print and watch them).
     * The rest of the plugin works on its own types: manifests are parsed to plain maps, records, reports, analyses
     * and the shared rollout machinery never see a fabric8 type, and neither does the Jenkins glue, which calls the
     * engine only.
     */
    @Test
    void fabric8StaysOutOfThePackagesThatDoNotTalkToTheCluster() {
        noClasses()
                .that()
                .resideInAnyPackage("..k8sdeploy.engine.manifest..", "..k8sdeploy.engine.record..",
                        "..k8sdeploy.engine.report..", "..k8sdeploy.engine.strategy..",
                        "..k8sdeploy.engine.analysis..", "..k8sdeploy.engine.base..",
                        "io.jenkins.plugins.k8sdeploy.jenkins..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.fabric8..")
                .because("docs/architecture.md, \"Package dependencies\": only the packages that talk to the cluster"
                        + " use fabric8 types")
                .check(mainClasses("io.jenkins.plugins.k8sdeploy"));
    }

    /** The compiled main classes (not the tests) in {@code pkg} and below. */
    private static JavaClasses mainClasses(String pkg) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(pkg);
    }
}
