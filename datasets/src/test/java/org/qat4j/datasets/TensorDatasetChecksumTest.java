package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TensorDatasetChecksumTest {

    private static TensorDataset of(float[] x, float[] y) {
        return TensorDataset.builder()
                .setData(x, new long[] {2}, y)
                .setSampling(1, false)
                .build();
    }

    @Test
    void checksumIsSha256OfShapeFeaturesAndLabelsInLittleEndian() throws Exception {
        float[] x = {0.5f, -0f, Float.MIN_VALUE, 3f};
        float[] y = {1, 0};
        ByteBuffer b =
                ByteBuffer.allocate(8 + 6 * 4).order(ByteOrder.LITTLE_ENDIAN).putLong(2);
        for (float v : new float[] {0.5f, -0f, Float.MIN_VALUE, 3f, 1, 0}) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        try (TensorDataset d = of(x, y)) {
            assertEquals(expected, d.sha256());
        }
    }

    @Test
    void checksumSeesTheSignOfZeroAndEveryLabel() {
        try (TensorDataset a = of(new float[] {0f, 1f, 2f, 3f}, new float[] {0, 1});
                TensorDataset b = of(new float[] {-0f, 1f, 2f, 3f}, new float[] {0, 1});
                TensorDataset c = of(new float[] {0f, 1f, 2f, 3f}, new float[] {1, 1})) {
            assertNotEquals(a.sha256(), b.sha256());
            assertNotEquals(a.sha256(), c.sha256());
        }
    }

    @Test
    void checksumOfManySamplesCrossesTheBufferBoundary() throws Exception {
        int n = 20_000; // 80,000 bytes of features: more than one 64 KiB buffer
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.25f;
        }
        ByteBuffer b = ByteBuffer.allocate(8 + (x.length + y.length) * 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(2);
        for (float v : x) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        for (float v : y) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        try (TensorDataset d = of(x, y)) {
            assertEquals(expected, d.sha256());
        }
    }
}
