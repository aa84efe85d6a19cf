package org.qat4j.hgq.archfixture;

import org.qat4j.runtime.archfixture.RuntimeUsingHgq;

/** With {@link RuntimeUsingHgq}, a cycle between two modules' root packages (ArchitectureRulesSelfTest). */
public final class HgqUsingRuntime {
    private HgqUsingRuntime() {}

    static RuntimeUsingHgq other() {
        return null;
    }
}
