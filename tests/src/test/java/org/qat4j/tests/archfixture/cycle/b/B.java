package org.qat4j.tests.archfixture.cycle.b;

import org.qat4j.tests.archfixture.cycle.a.A;

/** With {@link A}, a package cycle inside one module (test fixture of ArchitectureRulesSelfTest). */
public final class B {
    private B() {}

    static A other() {
        return null;
    }
}
