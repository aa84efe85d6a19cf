package org.qat4j.a2q.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/** The deprecated A2qVariant forwards every question to the one enum, A2qConstraint.Variant. */
@SuppressWarnings("deprecation")
class DeprecatedA2qVariantTest {

    @Test
    void everyConstantMapsToTheSameNamedVariantAndBack() {
        assertEquals(Variant.values().length, A2qVariant.values().length);
        for (A2qVariant old : A2qVariant.values()) {
            Variant v = old.toVariant();
            assertEquals(old.name(), v.name());
            assertEquals(old, A2qVariant.of(v));
            assertEquals(v.isConstrained(), old.isConstrained());
            assertEquals(v.cliName(), old.cliName());
            assertEquals(old, A2qVariant.parse(v.cliName()));
        }
    }
}
