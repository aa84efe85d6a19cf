package org.qat4j.runtime.archfixture;

import org.qat4j.hgq.archfixture.HgqUsingRuntime;

/** With {@link HgqUsingRuntime}, a cycle between two modules' root packages (ArchitectureRulesSelfTest). */
public final class RuntimeUsingHgq {
    private RuntimeUsingHgq() {}

    static HgqUsingRuntime other() {
        return null;
    }
}
