package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.ptq.calib.ClipRule;
import org.qat4j.ptq.calib.ValueSample;
import org.qat4j.ptq.kernel.UniformGrid;

/**
 * Sets every clip of a {@link PtqTwin} in forward order: a layer's weight clips from its weights (per tensor or
 * per output channel), an activation quantizer's clip from the values it receives on the calibration set
 * through the already-quantized prefix (sequential calibration, as in AdaRound/BRECQ's reference code). The
 * model input's quantizer always takes the range end (its data, not a learned tensor).
 */
public final class ClipCalibration {

    /** Values kept per activation tensor for the clip criteria. */
    static final int SAMPLE_CAPACITY = 1 << 20;

    private final ClipRule weightRule;
    private final boolean perChannel;
    private final ClipRule activationRule;

    /**
     * @param weightRule criterion of the weight clips
     * @param perChannel one weight clip per output channel (else one per tensor)
     * @param activationRule criterion of the activation clips
     */
    public ClipCalibration(ClipRule weightRule, boolean perChannel, ClipRule activationRule) {
        this.weightRule = weightRule;
        this.perChannel = perChannel;
        this.activationRule = activationRule;
    }

    /** Calibrates every site of {@code twin}. */
    public void apply(PtqTwin twin, NDManager manager, NDArray calibration) {
        List<Block> children = twin.children();
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i);
            if (child instanceof AbstractQLayer layer) {
                calibrateWeights(twin, layer);
            }
            ActivationQuantizer q = PtqTwin.quantizerOf(child);
            if (q != null) {
                calibrateActivation(twin, manager, calibration, i, q, i == 0 ? ClipRule.minMax() : activationRule);
            }
        }
    }

    /** Sets one layer's weight clips by the weight rule. */
    public void calibrateWeights(PtqTwin twin, AbstractQLayer layer) {
        twin.setWeightClips(layer, weightClips(twin.weights(layer), layer.getWeightBits(), weightRule, perChannel));
    }

    /** Clips of {@code w} ({@code [C][K]}): per channel, or one for all channels. */
    public static double[] weightClips(double[][] w, int bits, ClipRule rule, boolean perChannel) {
        UniformGrid grid = UniformGrid.weights(bits);
        double[] clips = new double[w.length];
        if (perChannel) {
            for (int c = 0; c < w.length; c++) {
                clips[c] = rule.clip(w[c], grid);
            }
        } else {
            java.util.Arrays.fill(clips, rule.clip(flatten(w), grid));
        }
        return clips;
    }

    /** Sets the clip of the quantizer at child {@code index} from the values it receives now. */
    static double calibrateActivation(
            PtqTwin twin, NDManager manager, NDArray calibration, int index, ActivationQuantizer q, ClipRule rule) {
        double alpha = rule.clip(inputValues(twin, manager, calibration, index), PtqTwin.grid(q));
        twin.setActivationClip(q, alpha);
        return alpha;
    }

    /** The values child {@code index} receives on the calibration set (a bounded sample). */
    static double[] inputValues(PtqTwin twin, NDManager manager, NDArray calibration, int index) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = twin.trace(scope, calibration).get(index);
            ValueSample sample = new ValueSample(SAMPLE_CAPACITY);
            sample.add(in.toType(DataType.FLOAT32, false).toFloatArray());
            return sample.values();
        }
    }

    /** The activation quantizers of the twin after the model input's, in forward order, with their child index. */
    static List<int[]> activationSites(PtqTwin twin) {
        List<int[]> out = new ArrayList<>();
        List<Block> children = twin.children();
        for (int i = 1; i < children.size(); i++) {
            if (PtqTwin.quantizerOf(children.get(i)) != null) {
                out.add(new int[] {i});
            }
        }
        return out;
    }

    static double[] flatten(double[][] w) {
        int k = w.length == 0 ? 0 : w[0].length;
        double[] out = new double[w.length * k];
        for (int c = 0; c < w.length; c++) {
            System.arraycopy(w[c], 0, out, c * k, k);
        }
        return out;
    }
}
