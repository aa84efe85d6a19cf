package org.qat4j.hgq.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.core.export.BitExactHarness;
import org.qat4j.core.export.BitExactReport;
import org.qat4j.core.export.Float64Parameters;
import org.qat4j.core.nn.QatFlatten;
import org.qat4j.core.nn.QatPool;
import org.qat4j.core.train.QatTrainingLoop;
import org.qat4j.hgq.calib.HgqCalibration;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HConv2d;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.runtime.assertion.CertificateAssertions;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.prove.CertificateProver;

/** HGQ networks trained for one epoch, calibrated, exported: certified and bit-exact against the DJL forward. */
class HgqExporterTest {

    static ArrayDataset data(NDManager m, int n, int[] shape, int classes, long seed) {
        Random rnd = new Random(seed);
        int per = 1;
        for (int d : shape) {
            per *= d;
        }
        float[] x = new float[n * per];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            int c = rnd.nextInt(classes);
            y[s] = c;
            for (int e = 0; e < per; e++) {
                x[s * per + e] = (float) (rnd.nextGaussian() + ((e % classes) == c ? 1.5 : 0));
            }
        }
        long[] full = new long[shape.length + 1];
        full[0] = n;
        for (int a = 0; a < shape.length; a++) {
            full[a + 1] = shape[a];
        }
        return new ArrayDataset.Builder()
                .setData(m.create(x, new Shape(full)))
                .optLabels(m.create(y, new Shape(n)))
                .setSampling(32, true)
                .build();
    }

    static IntegerModel trainAndExport(Model model, SequentialBlock net, int[] shape, int classes, NDManager m)
            throws Exception {
        model.setBlock(net);
        ArrayDataset train = data(m, 512, shape, classes, 1);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(0.01f))
                        .build());
        long[] full = new long[shape.length + 1];
        full[0] = 32;
        for (int a = 0; a < shape.length; a++) {
            full[a + 1] = shape[a];
        }
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(full));
            HgqCalibration.traceMinMax(net, m, train);
            QatTrainingLoop.builder().setTrainer(trainer).setEpochs(1).build().fit(train, null);
            HgqCalibration.traceMinMax(net, m, train);
        }
        return HgqExporter.export(
                net, new Shape(java.util.Arrays.stream(shape).asLongStream().toArray()), "unit test", 1, Map.of());
    }

    @Test
    void mlpIsBitExactAndCertified() throws Exception {
        try (Model model = Model.newInstance("hgq-mlp");
                NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(HDense.builder()
                            .setUnits(24)
                            .optActivation(HActivationType.RELU)
                            .build())
                    .add(HDense.builder()
                            .setUnits(12)
                            .optActivation(HActivationType.RELU)
                            .build())
                    .add(HDense.builder().setUnits(4).build());
            IntegerModel im = trainAndExport(model, net, new int[] {16}, 4, m);
            CertificateAssertions.assertCertificateHolds(im, CertificateProver.prove(im));
            DataType type = BitExactHarness.requiredForwardType(im);
            if (type == DataType.FLOAT64) {
                Float64Parameters.cast(net);
            }
            BitExactReport r = BitExactHarness.builder()
                    .setBlock(net)
                    .setModel(im)
                    .optForwardType(type)
                    .build()
                    .compareGenerated(m, 2000, 2000, 7);
            assertTrue(r.exact(), r.toString());
        }
    }

    @Test
    void conv1dWithAveragePoolIsBitExact() throws Exception {
        try (Model model = Model.newInstance("hgq-conv1d");
                NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(org.qat4j.hgq.nn.HConv1d.builder()
                            .setFilters(3)
                            .setKernelShape(new Shape(3))
                            .optStride(new Shape(2))
                            .optDilation(new Shape(2))
                            .optActivation(HActivationType.RELU)
                            .build())
                    .add(QatPool.avg(new Shape(2)))
                    .add(QatFlatten.class.getDeclaredConstructor().newInstance())
                    .add(HDense.builder().setUnits(2).build());
            IntegerModel im = trainAndExport(model, net, new int[] {2, 20}, 2, m);
            CertificateAssertions.assertCertificateHolds(im, CertificateProver.prove(im));
            DataType type = BitExactHarness.requiredForwardType(im);
            if (type == DataType.FLOAT64) {
                Float64Parameters.cast(net);
            }
            BitExactReport r = BitExactHarness.builder()
                    .setBlock(net)
                    .setModel(im)
                    .optForwardType(type)
                    .build()
                    .compareGenerated(m, 500, 500, 9);
            assertTrue(r.exact(), r.toString());
        }
    }

    @Test
    void cnnIsBitExactAndCertified() throws Exception {
        try (Model model = Model.newInstance("hgq-cnn");
                NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(HConv2d.builder()
                            .setFilters(4)
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .optActivation(HActivationType.RELU)
                            .build())
                    .add(QatPool.max(new Shape(2, 2)))
                    .add(QatFlatten.class.getDeclaredConstructor().newInstance())
                    .add(HDense.builder().setUnits(3).build());
            IntegerModel im = trainAndExport(model, net, new int[] {2, 8, 8}, 3, m);
            CertificateAssertions.assertCertificateHolds(im, CertificateProver.prove(im));
            // per-weight fractions align to wide grids here: accumulators exceed 2^24, float32 sums are not exact
            DataType type = BitExactHarness.requiredForwardType(im);
            assertEquals(DataType.FLOAT64, type);
            Float64Parameters.cast(net);
            BitExactReport r = BitExactHarness.builder()
                    .setBlock(net)
                    .setModel(im)
                    .optForwardType(type)
                    .build()
                    .compareGenerated(m, 500, 500, 8);
            assertTrue(r.exact(), r.toString());
            assertEquals("FLOAT64", r.forwardType());
        }
    }
}
