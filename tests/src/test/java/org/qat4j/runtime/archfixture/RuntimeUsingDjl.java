package org.qat4j.runtime.archfixture;

import ai.djl.ndarray.NDArray;

/** Breaks "the runtime has no DJL" on purpose (test fixture of ArchitectureRulesSelfTest). */
public final class RuntimeUsingDjl {
    private RuntimeUsingDjl() {}

    static long size(NDArray array) {
        return array.size();
    }
}
