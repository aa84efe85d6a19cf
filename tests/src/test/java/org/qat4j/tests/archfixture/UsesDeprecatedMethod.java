package org.qat4j.tests.archfixture;

/** Calls a deprecated method of a class that is not deprecated (test fixture of ArchitectureRulesSelfTest). */
public final class UsesDeprecatedMethod {
    private UsesDeprecatedMethod() {}

    /** A moved method's forwarder. */
    @Deprecated
    static int old() {
        return 1;
    }

    @SuppressWarnings("deprecation")
    static int caller() {
        return old();
    }
}
