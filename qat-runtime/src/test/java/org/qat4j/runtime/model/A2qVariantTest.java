package org.qat4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/** The one A2Q variant enum: training's spellings, and a model file's constraint never unconstrained. */
class A2qVariantTest {

    @Test
    void parsesEveryCommandLineSpellingBackToItsCliName() {
        for (Variant v : Variant.values()) {
            assertEquals(v, Variant.parse(v.cliName()));
            assertEquals(v, Variant.parse(" " + v.cliName().toUpperCase(java.util.Locale.ROOT) + " "));
        }
        assertEquals(Variant.A2Q_PLUS, Variant.parse("a2q-plus"));
        assertEquals(Variant.A2Q_PLUS, Variant.parse("A2Q_PLUS"));
        assertEquals(Variant.UNCONSTRAINED, Variant.parse("none"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("a2q++"));
        assertEquals("method must be one of a2q, a2q+, unconstrained; got 'a2q++'", e.getMessage());
    }

    @Test
    void onlyTheTwoAccumulatorAwareVariantsAreConstrained() {
        assertTrue(Variant.A2Q.isConstrained());
        assertTrue(Variant.A2Q_PLUS.isConstrained());
        assertFalse(Variant.UNCONSTRAINED.isConstrained());
    }

    @Test
    void aModelConstraintRefusesUnconstrained() {
        ModelFormatException e =
                assertThrows(ModelFormatException.class, () -> new A2qConstraint(Variant.UNCONSTRAINED, 8, false, 8));
        assertEquals("constraint.variant = UNCONSTRAINED: a constraint is A2Q or A2Q+", e.getMessage());
        assertEquals(Variant.A2Q, new A2qConstraint(Variant.A2Q, 8, false, 8).variant());
    }
}
