package org.qat4j.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.core.Linear;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.core.fixed.FixedPointOps;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;

/**
 * A hand-written fixed-point MLP as a DJL lambda (FixedPointOps quantizers, float Linear on values
 * on power-of-two grids) and the same network as an integer model: the harness must find zero
 * mismatches; a DJL graph with a different rounding rule must be caught with full detail.
 */
class BitExactHarnessTest {
    static final int IN = 10;
    static final int HID = 12;
    static final int OUT = 4;

    static int[] w1;
    static int[] w2;
    static int[] k0 = new int[IN];
    static int[] i0 = new int[IN];
    static int[] f0 = new int[IN];

    static {
        Random rnd = new Random(3);
        w1 = new int[HID * IN];
        w2 = new int[OUT * HID];
        for (int t = 0; t < w1.length; t++) {
            w1[t] = rnd.nextInt(255) - 127;
        }
        for (int t = 0; t < w2.length; t++) {
            w2[t] = rnd.nextInt(63) - 31;
        }
        for (int e = 0; e < IN; e++) {
            k0[e] = 1;
            f0[e] = 4;
            i0[e] = 1 + rnd.nextInt(3);
        }
    }

    /** Input format (1, i_e, 4) RND/SAT; W1 on 2^-6; hidden (0, 3, 3) RND/SAT after ReLU; W2 on 2^-5; output on 2^-8. */
    static IntegerModel model() {
        return IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", IN)
                .addOp(new QuantizeFixedOp(
                        "q0", "x", FixedFormats.of(k0, i0, f0, "q0"), RoundingMode.RND, OverflowMode.SAT))
                .addOp(new DenseOp("d1", "q0", IN, HID, w1, null, 24, null))
                .addOp(new ReluOp("r1", "d1"))
                .addOp(new RequantizeFixedOp(
                        "q1",
                        "r1",
                        new int[] {10},
                        FixedFormats.of(new int[] {0}, new int[] {3}, new int[] {3}, "q1"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new DenseOp("d2", "q1", HID, OUT, w2, null, 24, null))
                .addOp(new DequantizeFixedOp("out", "d2", new int[] {8}))
                .setOutput("out")
                .build();
    }

    static LambdaBlock block(NDManager m, RoundingMode hiddenRounding) {
        NDArray fk = m.create(k0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray fi = m.create(i0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray ff = m.create(f0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray wa = m.create(w1, new ai.djl.ndarray.types.Shape(HID, IN))
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .mul(1f / 64);
        NDArray wb = m.create(w2, new ai.djl.ndarray.types.Shape(OUT, HID))
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .mul(1f / 32);
        NDArray hk = m.create(0f);
        NDArray hi = m.create(3f);
        NDArray hf = m.create(3f);
        return new LambdaBlock(list -> {
            NDArray x = list.singletonOrThrow();
            NDArray q0 = FixedPointOps.quantize(x, fk, fi, ff, RoundingMode.RND, OverflowMode.SAT);
            NDArray h = Activation.relu(Linear.linear(q0, wa).head());
            NDArray q1 = FixedPointOps.quantize(h, hk, hi, hf, hiddenRounding, OverflowMode.SAT);
            return new NDList(Linear.linear(q1, wb).head());
        });
    }

    @Test
    void handWrittenFixedPointMlpIsBitExact() {
        try (NDManager m = NDManager.newBaseManager()) {
            BitExactReport r = BitExactHarness.builder()
                    .setBlock(block(m, RoundingMode.RND))
                    .setModel(model())
                    .build()
                    .compareGenerated(m, 3000, 3000, 1);
            assertTrue(r.exact(), r.toString());
            assertEquals(6000, r.samples());
            assertEquals(6000L * OUT, r.elements());
        }
    }

    @Test
    void aDifferentRoundingRuleIsCaughtWithTheFirstMismatchInDetail() {
        try (NDManager m = NDManager.newBaseManager()) {
            BitExactReport r = BitExactHarness.builder()
                    .setBlock(block(m, RoundingMode.RND_CONV))
                    .setModel(model())
                    .build()
                    .compareGenerated(m, 3000, 3000, 1);
            assertFalse(r.exact());
            String s = r.toString();
            assertTrue(s.contains("first mismatch:") && s.contains("(bits 0x") && s.contains("runtime q1 = "), s);
        }
    }
}
