package org.qat4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exactness of pooling on grid values, refused configurations, shapes and save/load of the geometry. */
class QatPoolTest {

    @Test
    void averagePoolingIsExactAndRefusesNonPowerOfTwoWindows() {
        var e = assertThrows(IllegalArgumentException.class, () -> QatPool.avg(new Shape(3, 3)));
        assertTrue(e.getMessage().contains("(3, 3)") && e.getMessage().contains("9 elements"), e.getMessage());
        QatPool pool = QatPool.avg(new Shape(2, 4));
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[16];
            for (int j = 0; j < 16; j++) {
                v[j] = (j * 37 % 11 - 5) / 64f;
            }
            NDArray x = m.create(v, new Shape(1, 1, 2, 8));
            float[] y = pool.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow()
                    .toFloatArray();
            for (int q = 0; q < 2; q++) {
                double s = 0;
                for (int r = 0; r < 2; r++) {
                    for (int t = 0; t < 4; t++) {
                        s += v[r * 8 + q * 4 + t];
                    }
                }
                assertEquals(Float.floatToRawIntBits((float) (s / 8) + 0f), Float.floatToRawIntBits(y[q] + 0f));
            }
        }
    }

    /** Max pooling of random grid values over 2-D windows with stride; reference computed in plain Java. */
    @Test
    void maxPoolingMatchesThePlainJavaWindowMaximum() {
        Random r = new Random(5);
        QatPool pool = QatPool.max(new Shape(3, 2), new Shape(2, 2), null);
        int c = 3;
        int h = 9;
        int w = 8;
        float[] v = new float[2 * c * h * w];
        for (int j = 0; j < v.length; j++) {
            v[j] = (r.nextInt(255) - 127) * 0.0371f;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(v, new Shape(2, c, h, w));
            NDArray out = pool.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            Shape expected = pool.getOutputShapes(new Shape[] {x.getShape()})[0];
            assertEquals(expected, out.getShape());
            float[] y = out.toFloatArray();
            int oh = (h - 3) / 2 + 1;
            int ow = (w - 2) / 2 + 1;
            int checked = 0;
            for (int b = 0; b < 2; b++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            float mx = Float.NEGATIVE_INFINITY;
                            for (int a = 0; a < 3; a++) {
                                for (int d = 0; d < 2; d++) {
                                    mx = Math.max(mx, v[((b * c + ch) * h + 2 * i + a) * w + 2 * j + d]);
                                }
                            }
                            assertEquals(
                                    Float.floatToRawIntBits(mx),
                                    Float.floatToRawIntBits(y[((b * c + ch) * oh + i) * ow + j]));
                            checked++;
                        }
                    }
                }
            }
            assertEquals(2 * c * oh * ow, checked);
        }
    }

    @Test
    void badGeometryAndInputRankAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> QatPool.max(new Shape(2, 2, 2)));
        assertTrue(e.getMessage().contains("window") && e.getMessage().contains("(2, 2, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QatPool.max(new Shape(2, 2), new Shape(0, 1), null));
        assertTrue(e.getMessage().contains("stride") && e.getMessage().contains("(0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QatPool.max(new Shape(2), null, new Shape(1, 1)));
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
        QatPool pool = QatPool.max(new Shape(2, 2));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 4, 4));
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> pool.forward(new ParameterStore(m, false), new NDList(x), false));
            assertTrue(e.getMessage().contains("rank 4") && e.getMessage().contains("(1, 4, 4)"), e.getMessage());
        }
    }

    @Test
    void flattenIsRowMajorAndExact() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[2 * 3 * 2 * 2];
            for (int j = 0; j < v.length; j++) {
                v[j] = j * 0.1f - 1f;
            }
            NDArray x = m.create(v, new Shape(2, 3, 2, 2));
            QatFlatten f = new QatFlatten();
            NDArray y = f.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            assertEquals(new Shape(2, 12), y.getShape());
            assertEquals(new Shape(2, 12), f.getOutputShapes(new Shape[] {x.getShape()})[0]);
            assertArrayEquals(v, y.toFloatArray());
        }
    }

    /** The geometry is saved with the model and a block built differently refuses the file by name. */
    @Test
    void geometrySurvivesSaveAndLoadAndMismatchIsRefused(@TempDir Path dir) throws Exception {
        Shape in = new Shape(1, 2, 8, 8);
        try (Model model = Model.newInstance("pool")) {
            model.setBlock(new SequentialBlock()
                    .add(QatPool.max(new Shape(2, 2), new Shape(2, 1), null))
                    .add(new QatFlatten()));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, in);
            model.save(dir, "pool");
        }
        try (Model same = Model.newInstance("pool")) {
            same.setBlock(new SequentialBlock()
                    .add(QatPool.max(new Shape(2, 2), new Shape(2, 1), null))
                    .add(new QatFlatten()));
            same.load(dir, "pool");
            NDArray x = same.getNDManager().ones(in);
            assertEquals(
                    new Shape(1, 2 * 4 * 7),
                    same.getBlock()
                            .forward(new ParameterStore(same.getNDManager(), false), new NDList(x), false)
                            .head()
                            .getShape());
        }
        try (Model other = Model.newInstance("pool")) {
            other.setBlock(
                    new SequentialBlock().add(QatPool.avg(new Shape(2, 2))).add(new QatFlatten()));
            var e = assertThrows(MalformedModelException.class, () -> other.load(dir, "pool"));
            assertTrue(e.getMessage().contains("MAX") && e.getMessage().contains("AVG"), e.getMessage());
        }
        assertTrue(Files.list(dir).findAny().isPresent());
    }
}
