package org.qat4j.export.c;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * The conv and pool loop nests of the C export ({@link CConvWriter}, {@link CPoolWriter}) against the Java
 * runtime, byte for byte (gcc -O2 and UBSan), on window shapes the model tests do not reach: per pool kind,
 * a 2-D conv with unequal strides, padding wider than half the kernel and dilation, then a non-square pool
 * with unequal strides; and a 1-D conv whose padding leaves taps outside the input for most outputs, then a
 * 1-D pool (max and float average are otherwise only 2-D).
 */
class CWindowDifferentialTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(PoolOp.Kind.class)
    void twoDimensional(PoolOp.Kind kind) throws IOException {
        check(
                model(
                        31 + kind.ordinal(),
                        new int[] {3, 7, 8},
                        4,
                        new int[] {2, 3},
                        new int[] {3, 2},
                        new int[] {2, 3},
                        new int[] {2, 1},
                        kind,
                        new int[] {1, 2},
                        new int[] {1, 2}),
                "2d-" + kind);
    }

    @ParameterizedTest
    @EnumSource(PoolOp.Kind.class)
    void oneDimensional(PoolOp.Kind kind) throws IOException {
        check(
                model(
                        41 + kind.ordinal(),
                        new int[] {2, 10},
                        3,
                        new int[] {4},
                        new int[] {1},
                        new int[] {3},
                        new int[] {1},
                        kind,
                        new int[] {4},
                        new int[] {1}),
                "1d-" + kind);
    }

    private void check(IntegerModel m, String dir) throws IOException {
        CDifferentialCheck.Result r =
                CDifferentialCheck.run(m, Files.createDirectories(tmp.resolve(dir)), 1000, 1000, 400, 7);
        assertEquals(List.of(), r.problems());
        assertEquals(2000, r.samples());
    }

    /** quantize → conv (the given geometry) → relu → requantize → pool of {@code kind} → out (float). */
    static IntegerModel model(
            long seed,
            int[] in,
            int cout,
            int[] kernel,
            int[] stride,
            int[] padding,
            int[] dilation,
            PoolOp.Kind kind,
            int[] window,
            int[] poolStride) {
        Random rnd = new Random(seed);
        int taps = in[0];
        for (int k : kernel) {
            taps *= k;
        }
        int[] w = new int[cout * taps];
        for (int t = 0; t < w.length; t++) {
            w[t] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(41) - 20;
        }
        long[] bias = new long[cout];
        for (int o = 0; o < cout; o++) {
            bias[o] = rnd.nextInt(601) - 300;
        }
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", in)
                .addOp(new QuantizeFixedOp("q0", "x", format(1, 2, 4), RoundingMode.RND, OverflowMode.SAT))
                .addOp(new ConvOp("conv", "q0", in[0], cout, kernel, stride, padding, dilation, w, bias, 40, null))
                .addOp(new ReluOp("r", "conv"))
                .addOp(new RequantizeFixedOp(
                        "q1", "r", new int[] {4}, format(0, 3, 2), RoundingMode.RND, OverflowMode.SAT));
        if (kind == PoolOp.Kind.FLOAT_AVG) {
            b.addOp(new DequantizeFixedOp("dq", "q1", new int[] {2}))
                    .addOp(new PoolOp("out", "dq", kind, window, poolStride, 64));
        } else {
            b.addOp(new PoolOp("pool", "q1", kind, window, poolStride, 30))
                    .addOp(new DequantizeFixedOp("out", "pool", new int[] {2}));
        }
        return b.setOutput("out").build();
    }

    private static FixedFormats format(int k, int i, int f) {
        return FixedFormats.of(new int[] {k}, new int[] {i}, new int[] {f}, "f");
    }
}
