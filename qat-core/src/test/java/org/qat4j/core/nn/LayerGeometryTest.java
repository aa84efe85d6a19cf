package org.qat4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

/** The one geometry of HGQ's and A2Q's layers: shapes, builder validation, A2Q's saved layout. */
class LayerGeometryTest {

    @Test
    void denseShapesFollowDjlLinear() {
        DenseGeometry g = new DenseGeometry(7);
        assertEquals(new Shape(7, 5), g.weightShape(new Shape(3, 5)));
        assertEquals(new Shape(3, 7), g.outputShape(new Shape(3, 5)));
        assertEquals(new Shape(2, 4, 7), g.outputShape(new Shape(2, 4, 5)));
        assertEquals(new Shape(7), g.channelBroadcastShape());
        assertEquals(
                "units must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new DenseGeometry(0))
                        .getMessage());
    }

    @Test
    void convolutionShapesUseTheOneWindowFormula() {
        ConvGeometry g = new ConvGeometry.Builder(2)
                .setFilters(6)
                .setKernelShape(new Shape(3, 2))
                .optStride(new Shape(2, 1))
                .optPadding(new Shape(1, 0))
                .optDilation(new Shape(1, 2))
                .optGroups(2)
                .build("L");
        assertEquals(new Shape(6, 2, 3, 2), g.weightShape(new Shape(1, 4, 9, 9)));
        // ⌊(9 + 2 − 2 − 1)/2⌋ + 1 = 5 rows, ⌊(9 − 2 − 1)/1⌋ + 1 = 7 columns
        assertEquals(new Shape(1, 6, 5, 7), g.outputShape(new Shape(1, 4, 9, 9)));
        assertEquals(new Shape(6, 1, 1), g.channelBroadcastShape());
        assertEquals(
                "input channels 5 are not divisible by groups 2",
                assertThrows(IllegalArgumentException.class, () -> g.weightShape(5))
                        .getMessage());
    }

    @Test
    void builderDefaultsAndMessagesNameTheSetting() {
        ConvGeometry g = new ConvGeometry.Builder(1)
                .setFilters(2)
                .setKernelShape(new Shape(3))
                .build("C");
        assertEquals(new ConvGeometry(new Shape(3), new Shape(1), new Shape(0), new Shape(1), 1, 2), g);
        assertEquals(
                "C: filters must be >= 1, got -1", message(new ConvGeometry.Builder(1).setKernelShape(new Shape(3))));
        assertEquals(
                "C: kernelShape must have 1 dimension(s), got (3, 3)",
                message(new ConvGeometry.Builder(1).setFilters(1).setKernelShape(new Shape(3, 3))));
        assertEquals(
                "C: stride entries must be >= 1, got (0)",
                message(new ConvGeometry.Builder(1)
                        .setFilters(1)
                        .setKernelShape(new Shape(3))
                        .optStride(new Shape(0))));
        assertEquals(
                "C: padding must have 1 dimension(s), got (1, 1)",
                message(new ConvGeometry.Builder(1)
                        .setFilters(1)
                        .setKernelShape(new Shape(3))
                        .optPadding(new Shape(1, 1))));
        assertEquals(
                "C: groups must be >= 1, got 0",
                message(new ConvGeometry.Builder(1)
                        .setFilters(1)
                        .setKernelShape(new Shape(3))
                        .optGroups(0)));
    }

    private static String message(ConvGeometry.Builder b) {
        return assertThrows(IllegalArgumentException.class, () -> b.build("C")).getMessage();
    }

    @Test
    void savedLayoutRoundTripsAndRefusesAnotherGeometry() throws Exception {
        ConvGeometry g = new ConvGeometry.Builder(2)
                .setFilters(3)
                .setKernelShape(new Shape(2, 2))
                .build("L");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        g.write(new DataOutputStream(bytes));
        // 4 shapes × (int rank + 2 longs) + int groups + long filters
        assertEquals(4 * (4 + 16) + 4 + 8, bytes.size());
        g.readAndCheck(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "L");
        ConvGeometry other = new ConvGeometry.Builder(2)
                .setFilters(4)
                .setKernelShape(new Shape(2, 2))
                .build("L");
        MalformedModelException e = assertThrows(
                MalformedModelException.class,
                () -> other.readAndCheck(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "L"));
        assertEquals("L: file has geometry " + g + " but the block has " + other, e.getMessage());
    }
}
