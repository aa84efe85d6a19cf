package org.qat4j.runtime.exec;

/**
 * Tensor reuse between calls: {@link IntegerRuntime} keeps one environment per thread and pass size, so
 * a kernel finds last call's output array in its slot and overwrites it instead of allocating (and
 * zeroing) a fresh one. A kernel that asks for its array here must write every element of it; the
 * arrays handed to a caller ({@code runFloat}/{@code runInt} results, {@code trace}) are always fresh.
 */
final class Workspace {
    private Workspace() {}

    /** {@code env[slot]} when it already is a {@code long[len]}, else a new one stored there. */
    static long[] longs(Object[] env, int slot, int len) {
        if (env[slot] instanceof long[] a && a.length == len) {
            return a;
        }
        long[] a = new long[len];
        env[slot] = a;
        return a;
    }

    /** {@code env[slot]} when it already is a {@code float[len]}, else a new one stored there. */
    static float[] floats(Object[] env, int slot, int len) {
        if (env[slot] instanceof float[] a && a.length == len) {
            return a;
        }
        float[] a = new float[len];
        env[slot] = a;
        return a;
    }

    /**
     * {@code env[slot]} when it already is an array of {@code type} ({@code long[]}, {@code int[]},
     * {@code float[]} or {@code double[]}) of {@code len} elements, else a new one stored there.
     */
    static Object typed(Object[] env, int slot, int len, Class<?> type) {
        Object a = env[slot];
        if (a != null && a.getClass() == type && java.lang.reflect.Array.getLength(a) == len) {
            return a;
        }
        a = java.lang.reflect.Array.newInstance(type.getComponentType(), len);
        env[slot] = a;
        return a;
    }
}
