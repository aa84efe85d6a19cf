package org.qat4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.FixedFormat;

/** The one element → group mapping of formats and per-tensor attributes. */
class FormatTensorTest {

    /** The per-tensor/channel/element expansion as the model code wrote it before FormatTensor: the reference. */
    private static int[] referenceExpand(int[] values, int[] shape, String field) {
        int numel = Shapes.numel(shape, field);
        Granularity g = Granularity.of(values.length, shape, field);
        int[] out = new int[numel];
        int perChannel = shape.length == 0 ? 1 : numel / Math.max(1, shape[0]);
        for (int e = 0; e < numel; e++) {
            out[e] = switch (g) {
                case TENSOR -> values[0];
                case ELEMENT -> values[e];
                case CHANNEL -> values[e / perChannel];
            };
        }
        return out;
    }

    /** Group of element e from its coordinates, written independently of FormatTensor's odometer. */
    private static int referenceGroup(int e, int[] shape, int[] groups) {
        int g = 0;
        int stride = 1;
        int gStride = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            int x = (e / stride) % shape[a];
            g += (groups[a] == 1 ? 0 : x) * gStride;
            stride *= shape[a];
            gStride *= groups[a];
        }
        return g;
    }

    @Property(tries = 200)
    void granularityExpansionEqualsThePreviousCode(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random rnd = new Random(seed);
        int[] shape = new int[1 + rnd.nextInt(3)];
        for (int a = 0; a < shape.length; a++) {
            shape[a] = 1 + rnd.nextInt(5);
        }
        int numel = Shapes.numel(shape, "s");
        int[] lengths = {1, shape[0], numel};
        int[] values = rnd.ints(lengths[rnd.nextInt(3)], -50, 50).toArray();
        assertArrayEquals(referenceExpand(values, shape, "v"), Granularity.expand(values, shape, "v"));
    }

    @Property(tries = 200)
    void groupsFollowTheCoordinatesOfSharedAxes(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random rnd = new Random(seed);
        int[] shape = new int[1 + rnd.nextInt(4)];
        int[] groups = new int[shape.length];
        for (int a = 0; a < shape.length; a++) {
            shape[a] = 1 + rnd.nextInt(4);
            groups[a] = rnd.nextBoolean() ? shape[a] : 1;
        }
        int[] g = FormatTensor.groupIndex(shape, groups, "t");
        for (int e = 0; e < g.length; e++) {
            assertEquals(referenceGroup(e, shape, groups), g[e], "element " + e);
        }
    }

    @Test
    void perChannelFormatsExpandAndStorePerElement() {
        FixedFormat a = new FixedFormat(1, 2, 3);
        FixedFormat b = new FixedFormat(0, 4, -1);
        FormatTensor t = FormatTensor.of(new int[] {2, 1, 1}, new FixedFormat[] {a, b});
        FixedFormat[] per = t.expand(new int[] {2, 2, 3}, "q");
        assertEquals(12, per.length);
        for (int e = 0; e < 12; e++) {
            assertEquals(e < 6 ? a : b, per[e]);
        }
        FixedFormats stored = t.perElement(new int[] {2, 2, 3}, "q");
        assertEquals(12, stored.length());
        assertArrayEquals(per, stored.expand(new int[] {2, 2, 3}, "q"));
        // the stored form read back as a tensor: one group per element, same formats
        FormatTensor back = stored.tensor(new int[] {2, 2, 3}, "q");
        assertArrayEquals(new int[] {2, 2, 3}, back.groupShape());
        assertArrayEquals(per, back.expand(new int[] {2, 2, 3}, "q"));
        assertArrayEquals(
                new int[] {2, 1, 1},
                FixedFormats.of(new int[] {1, 0}, new int[] {2, 4}, new int[] {3, -1}, "q")
                        .tensor(new int[] {2, 2, 3}, "q")
                        .groupShape());
    }

    @Test
    void oneGroupFitsEveryShapeAndMismatchesAreRefused() {
        FormatTensor one = FormatTensor.of(new int[] {1}, new FixedFormat[] {new FixedFormat(1, 0, 4)});
        assertEquals(6, one.expand(new int[] {2, 3}, "x").length);
        assertThrows(IllegalArgumentException.class, () -> FormatTensor.of(new int[] {3}, new FixedFormat[2]));
        FormatTensor three = FormatTensor.of(
                new int[] {3, 1},
                new FixedFormat[] {new FixedFormat(1, 0, 4), new FixedFormat(1, 0, 4), new FixedFormat(1, 0, 4)});
        ModelFormatException e =
                assertThrows(ModelFormatException.class, () -> three.expand(new int[] {2, 3}, "l0_quant"));
        assertTrue(e.getMessage().contains("l0_quant") && e.getMessage().contains("axis 0"), e.getMessage());
        assertThrows(ModelFormatException.class, () -> three.expand(new int[] {3}, "l0_quant"));
    }
}
