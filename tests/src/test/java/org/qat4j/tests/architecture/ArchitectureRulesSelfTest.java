package org.qat4j.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;
import org.qat4j.core.train.archfixture.TrainingUsingExport;
import org.qat4j.hgq.archfixture.HgqUsingRuntime;
import org.qat4j.hgq.archfixture.StrayBenchmark;
import org.qat4j.runtime.archfixture.RuntimeUsingDjl;
import org.qat4j.runtime.archfixture.RuntimeUsingHgq;
import org.qat4j.runtime.check.archfixture.CheckerUsingProver;
import org.qat4j.runtime.prove.archfixture.ProverUsingChecker;
import org.qat4j.tests.archfixture.UsesCertForwarder;
import org.qat4j.tests.archfixture.UsesDeprecatedMethod;
import org.qat4j.tests.archfixture.cycle.a.A;
import org.qat4j.tests.archfixture.cycle.b.B;

/**
 * Each rule of {@link ArchitectureRulesTest} fails on a class that breaks it: the fixtures (test classes in
 * the packages the rules name, {@code ..archfixture}) are imported alone and every rule must report them,
 * so a rule that matches nothing (a renamed package, a typo) cannot pass silently.
 */
class ArchitectureRulesSelfTest {

    private static void assertBroken(ArchRule rule, Class<?>... fixtures) {
        EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(fixtures));
        assertTrue(result.hasViolation(), "the rule must fail on its fixture: " + rule.getDescription());
    }

    @Test
    void checkerUsingTheProverIsCaught() {
        assertBroken(ArchitectureRulesTest.CHECKER_NEVER_USES_THE_PROVER, CheckerUsingProver.class);
    }

    @Test
    void proverUsingTheCheckerIsCaught() {
        assertBroken(ArchitectureRulesTest.PROVER_NEVER_USES_THE_CHECKER, ProverUsingChecker.class);
    }

    @Test
    void trainingUsingExportIsCaught() {
        assertBroken(ArchitectureRulesTest.TRAINING_NEVER_USES_EXPORT_OR_PROOF, TrainingUsingExport.class);
    }

    @Test
    void runtimeUsingDjlIsCaught() {
        assertBroken(ArchitectureRulesTest.RUNTIME_HAS_NO_DJL, RuntimeUsingDjl.class);
    }

    @Test
    void packageCycleIsCaught() {
        assertBroken(ArchitectureRulesTest.NO_PACKAGE_CYCLES, A.class, B.class);
    }

    @Test
    void benchmarkOutsideQatBenchIsCaught() {
        assertBroken(ArchitectureRulesTest.BENCHMARKS_LIVE_IN_QAT_BENCH, StrayBenchmark.class);
    }

    @Test
    void moduleCycleIsCaught() {
        assertBroken(ArchitectureRulesTest.NO_MODULE_CYCLES, RuntimeUsingHgq.class, HgqUsingRuntime.class);
    }

    @Test
    void packageCycleInsideOneModuleIsNotAModuleCycle() {
        EvaluationResult result = ArchitectureRulesTest.NO_MODULE_CYCLES.evaluate(
                new ClassFileImporter().importClasses(A.class, B.class));
        assertFalse(result.hasViolation(), result.getFailureReport().toString());
    }

    /** The forwarder is imported with the fixture: a class outside the import is a stub without annotations. */
    @Test
    @SuppressWarnings("removal")
    void useOfACertForwarderIsCaught() {
        assertBroken(
                ArchitectureRulesTest.NO_DEPRECATED_FORWARDERS_IN_MAIN_CODE,
                UsesCertForwarder.class,
                org.qat4j.runtime.cert.CertificateProver.class);
    }

    @Test
    void callOfADeprecatedMethodIsCaught() {
        assertBroken(ArchitectureRulesTest.NO_DEPRECATED_FORWARDERS_IN_MAIN_CODE, UsesDeprecatedMethod.class);
    }
}
