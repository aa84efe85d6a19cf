package org.qat4j.hgq.ebops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.hgq.quant.QuantizedConstant;

/** Issue item 5: exact EBOPs of a two-layer model equal a hand computation; pruned weights cost 0. */
class EbopsHandComputationTest {

    static void set(Parameter p, float... values) {
        NDArray a = p.getArray();
        try (NDArray v = a.getManager().create(values, a.getShape())) {
            a.intern(v.duplicate());
        }
    }

    @Test
    void twoLayerModelMatchesTheHandComputation() {
        HDense l1 = HDense.builder()
                .setUnits(2)
                .optActivation(HActivationType.RELU)
                .optBias(false)
                .build();
        HDense l2 = HDense.builder().setUnits(1).optBias(false).build();
        SequentialBlock net = new SequentialBlock().add(l1).add(l2);
        try (Model model = Model.newInstance("hand")) {
            model.setBlock(net);
            NDManager m = model.getNDManager();
            net.initialize(m, DataType.FLOAT32, new Shape(2, 2));
            // layer 1: kernel (out, in) = [[0.5, 0.75], [0, -0.25]] with f = 2 → mantissas [2, 3, 0, -1]
            set(l1.getWeight(), 0.5f, 0.75f, 0f, -0.25f);
            set(l1.getKernelQuantizer().getFractionalBitsParameter(), 2, 2, 2, 2);
            set(l1.getInputQuantizer().getFractionalBitsParameter(), 2, 2);
            // layer 2: kernel [[-1.5, 2.0]] with f = 1 → mantissas [-3, 4]
            set(l2.getWeight(), -1.5f, 2.0f);
            set(l2.getKernelQuantizer().getFractionalBitsParameter(), 1, 1);
            set(l2.getInputQuantizer().getFractionalBitsParameter(), 2, 2);

            // calibration inputs (-1, 0.75) and (1.5, 0)
            NDArray x = m.create(new float[] {-1f, 0.75f, 1.5f, 0f}, new Shape(2, 2));
            HgqCalibration.traceMinMax(net, m, List.of(new NDList(x)));

            QuantizedConstant k1 = l1.quantizedKernel();
            assertEquals(List.of(2L, 3L, 0L, -1L), boxed(k1.mantissas()));
            // input 0 ranges over [-1, 1.5]: k=1, i=max(ceil(log2 1), ceil(log2(1.5+0.25)))=1 → width 4
            // input 1 ranges over [0, 0.75]: k=0, i=ceil(log2(0.75+0.25))=0 → width 2
            assertEquals(4, l1.inputFormats().format(0).width());
            assertEquals(2, l1.inputFormats().format(1).width());
            // significant bits: 2→1, 3→2, 0→0, −1→1; EBOPs = 4·1 + 2·2 + 4·0 + 2·1 = 10
            assertEquals(10, l1.exactEbops());

            // layer-1 outputs after ReLU: (0.0625, 0) and (0.75, 0); layer-2 input quantizer f=2 rounds 0.0625 to 0
            // input 0 ranges over [0, 0.75] → width 2; input 1 is always 0 → zero width
            assertEquals(2, l2.inputFormats().format(0).width());
            assertEquals(0, l2.inputFormats().format(1).width());
            // significant bits: −3→2, 4→1; EBOPs = 2·2 + 0·1 = 4
            assertEquals(4, l2.exactEbops());

            EbopsReport report = EbopsReport.of(net);
            assertEquals(14, report.total());
            assertEquals(2, report.layers().size());
            assertEquals(1, report.layers().get(0).prunedWeights());
        }
    }

    @Test
    void zeroWidthWeightsAreExactlyZeroAndCostNothing() {
        HDense l = HDense.builder().setUnits(3).optBias(false).build();
        try (Model model = Model.newInstance("prune")) {
            model.setBlock(l);
            NDManager m = model.getNDManager();
            l.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            set(l.getWeight(), 0.3f, -0.2f, 0.1f, 0.05f, -0.4f, 0.7f);
            // f = -3 puts every |w| < 2^2 at zero width: all mantissas round to 0
            set(l.getKernelQuantizer().getFractionalBitsParameter(), -3, 4, -3, -3, 4, -3);
            QuantizedConstant k = l.quantizedKernel();
            assertEquals(List.of(0L, -3L, 0L, 0L, -6L, 0L), boxed(k.mantissas()));
            assertEquals(4, k.zeros());
            HgqCalibration.traceMinMax(l, m, List.of(new NDList(m.create(new float[] {1f, -1f}, new Shape(1, 2)))));
            int b0 = l.inputFormats().format(0).width();
            int b1 = l.inputFormats().format(1).width();
            // only the two live weights count: −3 (2 bits) on input 1 and −6 = −3·2 (2 bits) on input 0
            assertEquals((long) b1 * 2 + (long) b0 * 2, l.exactEbops());
            // the forward sees exactly zero for the pruned weights: y = (3/16, 0, −6/16) for x = (1, −1)
            NDArray y = l.forward(
                            new ParameterStore(m, false),
                            new NDList(m.create(new float[] {1f, -1f}, new Shape(1, 2))),
                            false)
                    .singletonOrThrow();
            float[] out = y.toFloatArray();
            float[] expected = {0.1875f, 0f, -0.375f};
            for (int o = 0; o < 3; o++) {
                assertEquals(Float.floatToRawIntBits(expected[o]), Float.floatToRawIntBits(out[o] + 0f), "output " + o);
            }
        }
    }

    private static List<Long> boxed(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
