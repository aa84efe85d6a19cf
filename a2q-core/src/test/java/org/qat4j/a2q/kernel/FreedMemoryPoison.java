package org.qat4j.a2q.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper that makes a use-after-free of Java-owned tensor memory visible: runs the garbage collector, gives the
 * cleaner thread time to free unreachable direct buffers, then allocates many small direct buffers (the size DJL
 * allocates for a scalar operand) filled with NaN, so freed scalar storage is reused with NaN. Keep the returned list
 * reachable until the backward pass is done.
 */
public final class FreedMemoryPoison {

    private FreedMemoryPoison() {}

    /** Collects, waits for the cleaner and refills freed small blocks with NaN. */
    public static List<ByteBuffer> collectAndPoison() {
        List<ByteBuffer> keep = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (int i = 0; i < 4000; i++) {
            int size = i % 2 == 0 ? 4 : 8;
            ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
            for (int j = 0; j + 4 <= size; j += 4) {
                b.putFloat(j, Float.NaN);
            }
            keep.add(b);
        }
        return keep;
    }
}
