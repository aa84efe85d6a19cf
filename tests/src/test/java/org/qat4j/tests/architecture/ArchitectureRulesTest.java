package org.qat4j.tests.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture's rules, enforced on the main classes of every module (docs/architecture.md):
 * the certificate checker shares no code with the prover, training code never depends on export or
 * proof code, the runtime that deployments and the checker trust never depends on DJL, and no two
 * packages (nor two modules' root packages) depend on each other. A deprecated class that only forwards to
 * a moved one is exempt from the cycle rule (it is a pointer for users, not a dependency of the design), and
 * no other main class uses one (nor a deprecated method or field): the forwarders are for users' code.
 * {@link ArchitectureRulesSelfTest} shows that each rule fails on a class that breaks it.
 */
class ArchitectureRulesTest {

    /** Packages whose classes train: kernels, quantizers, blocks, losses, schedules, calibration. */
    static final String[] TRAINING = {
        "org.qat4j.core.fixed..",
        "org.qat4j.core.nn..",
        "org.qat4j.core.train..",
        "org.qat4j.hgq.kernel..",
        "org.qat4j.hgq.quant..",
        "org.qat4j.hgq.nn..",
        "org.qat4j.hgq.ebops..",
        "org.qat4j.hgq.calib..",
        "org.qat4j.a2q.kernel..",
        "org.qat4j.a2q.quant..",
        "org.qat4j.a2q.nn..",
        "org.qat4j.a2q.train.."
    };
    /** Packages that export, prove or check. */
    static final String[] EXPORT_AND_PROOF = {
        "org.qat4j.core.export..",
        "org.qat4j.hgq.export..",
        "org.qat4j.a2q.export..",
        "org.qat4j.runtime.prove..",
        "org.qat4j.runtime.check..",
        "org.qat4j.runtime.cert..",
        "org.qat4j.export.."
    };

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.qat4j");
    }

    static final ArchRule CHECKER_NEVER_USES_THE_PROVER = noClasses()
            .that()
            .resideInAPackage("org.qat4j.runtime.check..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.qat4j.runtime.prove..")
            .because("the checker re-derives every fact with its own code; sharing the prover's would prove nothing");

    static final ArchRule PROVER_NEVER_USES_THE_CHECKER = noClasses()
            .that()
            .resideInAPackage("org.qat4j.runtime.prove..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.qat4j.runtime.check..")
            .because("prover and checker are two independent implementations of the same bounds");

    static final ArchRule TRAINING_NEVER_USES_EXPORT_OR_PROOF = noClasses()
            .that()
            .resideInAnyPackage(TRAINING)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(EXPORT_AND_PROOF)
            .because("export and proof read trained blocks; training must not depend on them");

    static final ArchRule RUNTIME_HAS_NO_DJL = noClasses()
            .that()
            .resideInAPackage("org.qat4j.runtime..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("ai.djl..", "org.pytorch..")
            .because("deployments and the certificate checker must run without DJL or PyTorch");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("org.qat4j.(**)")
            .should()
            .beFreeOfCycles()
            .ignoreDependency(
                    DescribedPredicate.describe(
                            "a deprecated forwarding class", (JavaClass c) -> c.isAnnotatedWith(Deprecated.class)),
                    DescribedPredicate.alwaysTrue());

    /** Module level: the root package of each module ({@code org.qat4j.runtime}, {@code org.qat4j.hgq}, ...). */
    static final ArchRule NO_MODULE_CYCLES = slices().matching("org.qat4j.(*)..")
            .should()
            .beFreeOfCycles()
            .ignoreDependency(
                    DescribedPredicate.describe(
                            "a deprecated forwarding class", (JavaClass c) -> c.isAnnotatedWith(Deprecated.class)),
                    DescribedPredicate.alwaysTrue());

    static final ArchRule NO_DEPRECATED_FORWARDERS_IN_MAIN_CODE = classes()
            .that(not(annotatedWith(Deprecated.class)))
            .should(DeprecatedUse.NOT_USE_DEPRECATED_QAT4J_CODE)
            .because("deprecated classes and members only forward to where the code moved; the project calls the"
                    + " new place (runtime.prove, runtime.check, core.engine, ...)");

    /** Benchmarks are programs that time the library against what users would run instead; no library module ships one. */
    static final ArchRule BENCHMARKS_LIVE_IN_QAT_BENCH = classes()
            .that()
            .haveSimpleNameEndingWith("Benchmark")
            .or()
            .resideInAPackage("..bench..")
            .should()
            .resideInAPackage("org.qat4j.bench..")
            .because("benchmarks have their own module (qat-bench)");

    @Test
    void checkerNeverUsesTheProver() {
        CHECKER_NEVER_USES_THE_PROVER.check(classes);
    }

    @Test
    void proverNeverUsesTheChecker() {
        PROVER_NEVER_USES_THE_CHECKER.check(classes);
    }

    @Test
    void trainingNeverUsesExportOrProof() {
        TRAINING_NEVER_USES_EXPORT_OR_PROOF.check(classes);
    }

    @Test
    void runtimeHasNoDjl() {
        RUNTIME_HAS_NO_DJL.check(classes);
    }

    @Test
    void noPackageCycles() {
        NO_PACKAGE_CYCLES.check(classes);
    }

    @Test
    void noModuleCycles() {
        NO_MODULE_CYCLES.check(classes);
    }

    @Test
    void noDeprecatedForwardersInMainCode() {
        NO_DEPRECATED_FORWARDERS_IN_MAIN_CODE.check(classes);
    }

    @Test
    void benchmarksLiveInQatBench() {
        BENCHMARKS_LIVE_IN_QAT_BENCH.check(classes);
    }

    /** Guards against a rule that passes because it sees nothing. */
    @Test
    void everyModuleIsImported() {
        for (String p : new String[] {
            "org.qat4j.runtime.check",
            "org.qat4j.runtime.prove",
            "org.qat4j.core.train",
            "org.qat4j.hgq.nn",
            "org.qat4j.a2q.nn",
            "org.qat4j.convert",
            "org.qat4j.examples.cli",
            "org.qat4j.datasets",
            "org.qat4j.export.c",
            "org.qat4j.export.verilog",
            "org.qat4j.onnx",
            "org.qat4j.ptq.apply",
            "org.qat4j.bench",
            "org.qat4j.runtime.cert"
        }) {
            if (!classes.containPackage(p) || classes.getPackage(p).getClasses().isEmpty()) {
                throw new AssertionError("no classes imported from " + p);
            }
        }
    }
}
