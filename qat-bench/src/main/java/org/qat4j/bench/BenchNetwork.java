package org.qat4j.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.qat4j.a2q.export.A2qExporter;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.export.HgqExporter;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import org.qat4j.runtime.model.IntegerModel;

/**
 * A network shape benchmarked three ways: its quantization-aware version exported to an
 * {@link IntegerModel}, and the plain float32 network of the same shape a user would otherwise deploy
 * (DJL {@link Linear}/{@link Conv2d} + ReLU; the same weights go to ONNX Runtime).
 *
 * <ul>
 *   <li>{@link #jets()}: the HGQ jet-tagging MLP 16-64-32-32-5 (arXiv 2405.00645 §11);</li>
 *   <li>{@link #fashionMlp()}: the default recipe's HGQ MLP 784-64-10;</li>
 *   <li>{@link #a2qCnn()}: the A2Q+ Fashion-MNIST CNN (arXiv 2401.10432): 16 3×3 filters, then two 32-filter
 *       3×3 stride-2 convolutions (4-bit weights, 16-bit accumulators), then dense 10.</li>
 * </ul>
 * The quantized networks are initialized and calibrated on random data, not trained: speed depends on
 * the shape and the integer formats, which a training run would only move.
 */
record BenchNetwork(String name, boolean a2q, int[] inputShape, List<BenchLayer> layers) {

    static BenchNetwork jets() {
        return new BenchNetwork(
                "jets 16-64-32-32-5 (HGQ)",
                false,
                new int[] {16},
                List.of(BenchLayer.dense(64), BenchLayer.dense(32), BenchLayer.dense(32), BenchLayer.dense(5)));
    }

    static BenchNetwork fashionMlp() {
        return new BenchNetwork(
                "default recipe 784-64-10 (HGQ)",
                false,
                new int[] {784},
                List.of(BenchLayer.dense(64), BenchLayer.dense(10)));
    }

    static BenchNetwork a2qCnn() {
        return new BenchNetwork(
                "A2Q+ CNN 1x28x28 c16-c32s2-c32s2-d10",
                true,
                new int[] {1, 28, 28},
                List.of(
                        BenchLayer.conv(16, 3, 1, 1),
                        BenchLayer.conv(32, 3, 2, 1),
                        BenchLayer.conv(32, 3, 2, 1),
                        BenchLayer.dense(10)));
    }

    static List<BenchNetwork> all() {
        return List.of(jets(), fashionMlp(), a2qCnn());
    }

    int inputSize() {
        int n = 1;
        for (int d : inputShape) {
            n *= d;
        }
        return n;
    }

    Shape batchShape(int batch) {
        long[] s = new long[inputShape.length + 1];
        s[0] = batch;
        for (int a = 0; a < inputShape.length; a++) {
            s[a + 1] = inputShape[a];
        }
        return new Shape(s);
    }

    /** Multiply-accumulates per sample of the dense computation (zero weights and padded taps counted as in a float network). */
    long macsPerSample() {
        long macs = 0;
        int channels = inputShape.length == 3 ? inputShape[0] : 0;
        int side = inputShape.length == 3 ? inputShape[1] : 0;
        long features = inputSize();
        for (BenchLayer l : layers) {
            if (l.conv()) {
                int out = l.outSide(side);
                macs += (long) out * out * l.units() * channels * l.kernel() * l.kernel();
                channels = l.units();
                side = out;
                features = (long) channels * side * side;
            } else {
                macs += features * l.units();
                features = l.units();
            }
        }
        return macs;
    }

    /** The plain float32 network: DJL layers and ReLU, a flatten before the first dense layer after a convolution. */
    SequentialBlock plainFloat() {
        SequentialBlock net = new SequentialBlock();
        boolean spatial = inputShape.length == 3;
        for (int i = 0; i < layers.size(); i++) {
            BenchLayer l = layers.get(i);
            if (l.conv()) {
                net.add(Conv2d.builder()
                        .setKernelShape(new Shape(l.kernel(), l.kernel()))
                        .setFilters(l.units())
                        .optStride(new Shape(l.stride(), l.stride()))
                        .optPadding(new Shape(l.padding(), l.padding()))
                        .build());
            } else {
                if (spatial) {
                    net.add(Blocks.batchFlattenBlock());
                    spatial = false;
                }
                net.add(Linear.builder().setUnits(l.units()).build());
            }
            if (i < layers.size() - 1) {
                net.add(Activation.reluBlock());
            }
        }
        return net;
    }

    /** The quantization-aware network: HGQ dense layers, or the A2Q+ CNN as the a2q-fashion-cnn recipe builds it. */
    SequentialBlock quantized() {
        SequentialBlock net = new SequentialBlock();
        if (!a2q) {
            for (int i = 0; i < layers.size(); i++) {
                HDense.Builder b = HDense.builder().setUnits(layers.get(i).units());
                if (i < layers.size() - 1) {
                    b.optActivation(HActivationType.RELU);
                }
                net.add(b.build());
            }
            return net;
        }
        ActivationQuantizer input =
                ActivationQuantizer.builder().setBits(8).optSigned(false).build();
        QReLU prev = null;
        for (int i = 0; i < layers.size(); i++) {
            BenchLayer l = layers.get(i);
            boolean first = i == 0;
            boolean last = i == layers.size() - 1;
            Variant variant = first || last ? Variant.UNCONSTRAINED : Variant.A2Q_PLUS;
            int bits = first || last ? 8 : 4;
            int acc = first || last ? 32 : 16;
            if (l.conv()) {
                QConv2d.Builder b = QConv2d.builder()
                        .setKernelShape(new Shape(l.kernel(), l.kernel()))
                        .setFilters(l.units())
                        .optStride(new Shape(l.stride(), l.stride()))
                        .optPadding(new Shape(l.padding(), l.padding()))
                        .setVariant(variant)
                        .setWeightBits(bits)
                        .optAccumulatorBits(acc);
                net.add(
                        first
                                ? b.optInputQuantizer(input).build()
                                : b.optInputFrom(prev).build());
            } else {
                net.add(Blocks.batchFlattenBlock());
                net.add(QLinear.builder()
                        .setUnits(l.units())
                        .setVariant(variant)
                        .setWeightBits(bits)
                        .optAccumulatorBits(acc)
                        .optInputFrom(prev)
                        .build());
            }
            if (!last) {
                prev = QReLU.of(4);
                net.add(prev);
            }
        }
        return net;
    }

    /** Initializes, calibrates on {@code calibration} (batch-major floats) and exports the quantized network. */
    IntegerModel export(NDManager m, SequentialBlock net, float[] calibration, int batch) {
        net.initialize(m, DataType.FLOAT32, batchShape(1));
        Shape perSample = batchShape(1).slice(1);
        NDList data = new NDList(m.create(calibration, batchShape(batch)));
        if (a2q) {
            // one training-mode forward sets the activation scales from data (ActivationQuantizer calibration)
            net.forward(new ParameterStore(m, false), data, true);
            return A2qExporter.export(net, perSample, "benchmark, calibrated, untrained", 0, Map.of());
        }
        List<NDList> batches = new ArrayList<>();
        batches.add(data);
        HgqCalibration.traceMinMax(net, m, batches);
        return HgqExporter.export(net, perSample, "benchmark, calibrated, untrained", 0, Map.of());
    }
}
