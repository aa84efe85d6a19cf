package org.qat4j.core.train.archfixture;

import org.qat4j.core.export.VerifiedExport;

/** Breaks "training never uses export or proof" on purpose (test fixture of ArchitectureRulesSelfTest). */
public final class TrainingUsingExport {
    private TrainingUsingExport() {}

    static Object model(VerifiedExport export) {
        return export.model();
    }
}
