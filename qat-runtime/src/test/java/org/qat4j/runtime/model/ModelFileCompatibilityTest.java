package org.qat4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.runtime.exec.IntegerRuntime;

/**
 * Model files written before stay readable, identically: {@code src/test/resources/model-files/} holds
 * files written by an earlier writer (before the reader and writer were split), one per op kind
 * (dense, conv1d/conv2d, A2Q/A2Q+ constraints, quantize/dequantize fixed and scaled, relu, add, pools,
 * flatten, embedding affine/codebook, SPARQ, multipoint, test vectors with float outputs). Each reads
 * into the model its generator builds today, and writes back byte for byte.
 */
class ModelFileCompatibilityTest {
    @TempDir
    Path dir;

    /** The models behind the stored files, by file name. */
    static Map<String, IntegerModel> models() {
        Map<String, IntegerModel> m = new LinkedHashMap<>();
        m.put("mlp-fixed.json", withTestVectors(TestModels.mlpFixed(11, 6, 4, 3)));
        m.put("cnn-fixed.json", TestModels.cnnFixed(3));
        m.put("conv1d-fixed.json", TestModels.conv1dFixed(4));
        m.put("mlp-a2q.json", TestModels.mlpA2q(5, A2qConstraint.Variant.A2Q, 16, 6, 5, 3));
        m.put("mlp-a2q-plus.json", TestModels.mlpA2q(6, A2qConstraint.Variant.A2Q_PLUS, 14, 6, 5, 3));
        m.put("cnn-a2q-float-avgpool.json", TestModels.cnnA2qFloatAvgPool(10));
        m.put("mlp-a2q-residual.json", TestModels.mlpA2qResidual(12));
        m.put("embedding-affine.json", EmbeddingModels.random(10, 3, 6, 4, 3, EmbeddingOp.Kind.AFFINE, 3, 40));
        m.put("embedding-codebook.json", EmbeddingModels.random(11, 3, 6, 4, 2, EmbeddingOp.Kind.CODEBOOK, 3, 40));
        m.put("sparq-conv.json", SparqModels.conv(12, 2, true, true));
        m.put("sparq-dense.json", SparqModels.dense(13, 2, false, false));
        m.put("multipoint.json", MultipointModels.mlp(12, 6, 5, 3, 4, 64, 64));
        return m;
    }

    private static IntegerModel withTestVectors(IntegerModel m) {
        IntegerRuntime rt = IntegerRuntime.compile(m);
        Random rnd = new Random(3);
        float[] x = new float[4 * rt.inputSize()];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) rnd.nextGaussian() * 3;
        }
        return m.toBuilder()
                .optTestVectors(new TestVectors("ModelFileCompatibilityTest", 4, x, rt.runFloat(x, 4), null))
                .build();
    }

    private static String stored(String name) throws IOException {
        try (InputStream in = ModelFileCompatibilityTest.class.getResourceAsStream("/model-files/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource model-files/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void filesWrittenBeforeReadIntoTheSameModelsAndWriteBackByteForByte() throws IOException {
        for (Map.Entry<String, IntegerModel> e : models().entrySet()) {
            String text = stored(e.getKey());
            Path f = dir.resolve(e.getKey());
            Files.writeString(f, text);
            IntegerModel back = ModelReader.read(f);
            assertEquals(text, ModelWriter.toJson(back), e.getKey() + " written back");
            assertEquals(text, ModelWriter.toJson(e.getValue()), e.getKey() + " as its generator builds it today");
            assertEquals(e.getValue().provenance(), back.provenance(), e.getKey());
        }
    }

    /** Writes the stored files (run by hand, only when the format itself changes). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (Map.Entry<String, IntegerModel> e : models().entrySet()) {
            ModelWriter.write(e.getValue(), out.resolve(e.getKey()));
        }
    }
}
