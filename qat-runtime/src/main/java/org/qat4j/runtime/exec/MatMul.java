package org.qat4j.runtime.exec;

/**
 * {@code y[b][c][p] = bias_c + Σ_k W[c][k]·x_b[map[p][k]]} for every sample b, output channel c and
 * output position p, on one exact arithmetic ({@link Arithmetic}): dense layers have one position and
 * map k to input feature k; convolutions gather their patches (im2col, −1 for zero padding). Weights
 * are packed once, at compile time, into the arithmetic's own type, transposed to {@code [k][nPad]}
 * (output channels padded with zeros to a multiple of {@link #PAD} lanes), and input features whose
 * weights are all zero (pruned) are dropped. Rows (sample × position) are processed in tiles that fit
 * the cache: gather into the tile, multiply, scatter back to the {@code long} tensor.
 *
 * <p>Every order of accumulation is exact on the chosen arithmetic, so the scalar kernels here and the
 * Vector API kernels ({@code *Vector} subclasses, loaded only when {@code jdk.incubator.vector} is in
 * the boot layer) may reorder freely; tests hold them equal bit for bit to the checked reference.
 */
abstract class MatMul {
    /** Output channels are padded to a multiple of this many lanes (the widest float32 vector, 512 bits). */
    static final int PAD = 16;

    final int n;
    final int nPad;
    final int k;
    final int[] keep;

    MatMul(int n, int[] keep) {
        this.n = n;
        this.nPad = (n + PAD - 1) / PAD * PAD;
        this.k = keep.length;
        this.keep = keep;
    }

    /**
     * Computes {@code y} for {@code batch} samples of {@code inPer} input elements.
     *
     * @param x the input tensor: {@code long[]}, or an array of {@link #operandType()} written by a quantizer
     *     fused with this layer (then read in place when every input is kept)
     * @param map {@code [positions][k]} input element of each kept feature at each position, −1 for padding;
     *     null for a dense layer that keeps every input ({@code positions = 1}, {@code k = inPer})
     * @param positions output positions per channel (1 for dense)
     */
    abstract void run(Object x, int inPer, int batch, int[] map, int positions, long[] y);

    /** The array type the packed operands have: {@code float[].class}, {@code int[].class} or {@code double[].class}. */
    abstract Class<?> operandType();

    /** The largest magnitude every integer up to which {@link #operandType()} holds exactly. */
    final long operandLimit() {
        if (operandType() == float[].class) {
            return 1L << 24;
        }
        return operandType() == int[].class ? Integer.MAX_VALUE : 1L << 53;
    }

    /** Rows per tile: a tile of gathered inputs stays near 64 KB. */
    final int tileRows() {
        return Math.max(4, Math.min(256, (1 << 14) / Math.max(1, k)) & ~3);
    }

    /**
     * Bytes of packed weights one block of inputs may take (property {@code qat.runtime.blockBytes}, default
     * 16 KB: half an L1 data cache, the rest for the input rows and accumulators).
     */
    static final int BLOCK_BYTES = Integer.getInteger("qat.runtime.blockBytes", 1 << 14);

    /** Inputs per block for elements of {@code elementBytes}: at least 4, all of them when they fit. */
    final int kBlock(int elementBytes) {
        return Math.max(4, BLOCK_BYTES / (nPad * elementBytes));
    }

    /** Input features with at least one non-zero weight; {@code w} is {@code [n][fullK]}. */
    static int[] kept(int[] w, int n, int fullK) {
        int[] keep = new int[fullK];
        int m = 0;
        for (int j = 0; j < fullK; j++) {
            for (int c = 0; c < n; c++) {
                if (w[c * fullK + j] != 0) {
                    keep[m++] = j;
                    break;
                }
            }
        }
        return java.util.Arrays.copyOf(keep, m);
    }

    /** Whether the Vector API module is in the boot layer and not switched off ({@code -Dqat.runtime.vector=false}). */
    static final boolean VECTOR_AVAILABLE =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    && !"false".equals(System.getProperty("qat.runtime.vector"));

    /**
     * The kernel for {@code arithmetic} ({@link Arithmetic#FLOAT32}, {@link Arithmetic#INT32} or
     * {@link Arithmetic#FLOAT64}): the Vector API one when {@code vector} and the module is present,
     * otherwise the scalar one.
     */
    static MatMul create(Arithmetic arithmetic, boolean vector, int[] w, long[] bias, int n, int fullK) {
        int[] keep = kept(w, n, fullK);
        String type = switch (arithmetic) {
            case FLOAT32 -> "FloatMatMul";
            case INT32 -> "IntMatMul";
            case FLOAT64 -> "DoubleMatMul";
            default -> throw new IllegalArgumentException("no matrix kernel for " + arithmetic);
        };
        if (vector && VECTOR_AVAILABLE) {
            try {
                return (MatMul) Class.forName(MatMul.class.getPackageName() + "." + type + "Vector")
                        .getDeclaredConstructor(int[].class, long[].class, int.class, int.class, int[].class)
                        .newInstance(w, bias, n, fullK, keep);
            } catch (ReflectiveOperationException | LinkageError e) {
                // the module is resolved but unusable here: the scalar kernel computes the same integers
            }
        }
        return switch (arithmetic) {
            case FLOAT32 -> new FloatMatMul(w, bias, n, fullK, keep);
            case INT32 -> new IntMatMul(w, bias, n, fullK, keep);
            default -> new DoubleMatMul(w, bias, n, fullK, keep);
        };
    }

    /**
     * Smallest tile (rows × kept inputs × padded channels) the Vector API kernels take; smaller tiles run
     * the scalar kernel, which is as fast there and fast before C2 has compiled the vector code (the
     * Vector API's interpreted and C1 code is two orders of magnitude slower). Property
     * {@code qat.runtime.vectorMinWork}; tests set 0 so that every size runs the vector code.
     */
    static final long VECTOR_MIN_WORK = Long.getLong("qat.runtime.vectorMinWork", 1 << 8);

    /** Whether this is a Vector API kernel. */
    boolean vectorized() {
        return false;
    }
}
