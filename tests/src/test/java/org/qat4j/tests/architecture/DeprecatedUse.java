package org.qat4j.tests.architecture;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The condition "uses no deprecated qat4j class or member" for {@link ArchitectureRulesTest}: calls, field
 * accesses and constructor calls, signatures (field types, parameter, return and thrown types) and supertypes.
 * Code that is deprecated itself (a forwarding method keeping an old signature) may name deprecated types.
 */
final class DeprecatedUse {

    private DeprecatedUse() {}

    static final ArchCondition<JavaClass> NOT_USE_DEPRECATED_QAT4J_CODE =
            new ArchCondition<>("not use deprecated qat4j classes or members") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    for (JavaAccess<?> a : c.getAccessesFromSelf()) {
                        if (!a.getOrigin().isAnnotatedWith(Deprecated.class)
                                && (isDeprecatedQat4j(a.getTargetOwner())
                                        || (isQat4j(a.getTargetOwner())
                                                && a.getTarget().isAnnotatedWith(Deprecated.class)))) {
                            events.add(SimpleConditionEvent.violated(a, a.getDescription()));
                        }
                    }
                    for (JavaField f : c.getFields()) {
                        signature(events, f, f.getRawType());
                    }
                    for (JavaCodeUnit u : c.getCodeUnits()) {
                        signature(events, u, u.getRawReturnType());
                        u.getRawParameterTypes().forEach(t -> signature(events, u, t));
                        u.getThrowsClause().getTypes().forEach(t -> signature(events, u, t));
                    }
                    c.getRawSuperclass().ifPresent(s -> supertype(events, c, s));
                    c.getRawInterfaces().forEach(i -> supertype(events, c, i));
                }
            };

    private static void signature(ConditionEvents events, JavaMember member, JavaClass type) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        if (!member.isAnnotatedWith(Deprecated.class) && isDeprecatedQat4j(base)) {
            events.add(SimpleConditionEvent.violated(
                    member,
                    member.getFullName() + " names deprecated " + base.getName() + " in "
                            + member.getSourceCodeLocation()));
        }
    }

    private static void supertype(ConditionEvents events, JavaClass c, JavaClass s) {
        if (isDeprecatedQat4j(s)) {
            events.add(SimpleConditionEvent.violated(c, c.getName() + " extends deprecated " + s.getName()));
        }
    }

    private static boolean isQat4j(JavaClass c) {
        return c.getPackageName().startsWith("org.qat4j");
    }

    private static boolean isDeprecatedQat4j(JavaClass c) {
        if (!isQat4j(c)) {
            return false;
        }
        // a member class of a deprecated class (or a deprecated member class) is deprecated with it
        for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
            if (k.isAnnotatedWith(Deprecated.class)) {
                return true;
            }
        }
        return false;
    }
}
