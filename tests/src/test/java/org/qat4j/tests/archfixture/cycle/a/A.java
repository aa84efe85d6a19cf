package org.qat4j.tests.archfixture.cycle.a;

import org.qat4j.tests.archfixture.cycle.b.B;

/** With {@link B}, a package cycle inside one module (test fixture of ArchitectureRulesSelfTest). */
public final class A {
    private A() {}

    static B other() {
        return null;
    }
}
