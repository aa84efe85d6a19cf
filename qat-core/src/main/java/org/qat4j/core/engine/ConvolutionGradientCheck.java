package org.qat4j.core.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.List;

/**
 * Checks, exactly, that the engine's float32 2-D convolution computes the right output and the right
 * gradients with respect to its input and its kernel.
 *
 * <p>For {@code y[n,o,p,q] = Σ_{c,a,b} x[n,c,p·s+a·d−pad, q·s+b·d−pad] · w[o,c,a,b]} and a loss
 * {@code L = Σ y·g}, the gradients are {@code ∂L/∂w[o,c,a,b] = Σ_{n,p,q} g[n,o,p,q] · x[…]} and
 * {@code ∂L/∂x[n,c,i,j] = Σ g[n,o,p,q] · w[o,c,a,b]} over the (p, q, a, b) that read x[n,c,i,j]. With small
 * integer x, w and g every product and partial sum is an integer far below 2^24, so a correct float32
 * engine returns exactly these integers in any summation order: the check compares bit patterns, no
 * tolerance.
 *
 * <p>Why it exists: the oneDNN library inside PyTorch 2.7.1 (DJL's {@code pytorch-native-cpu}) returned
 * wrong input gradients for float32 convolutions on an AMD EPYC machine with AVX-512 when it used its
 * AVX2 or AVX-512 kernels (sometimes garbage, sometimes NaN; kernel gradients and the forward pass were
 * right, float64 was right). Quantization-aware training is hit hard because every quantizer in front of
 * a convolution learns from exactly that gradient. Capping oneDNN's instruction set with the environment
 * variable {@value #ISA_VARIABLE}{@code =}{@value #SAFE_ISA} (read once, when the native library starts)
 * made every case exact. {@link #run} tells whether the running process is affected.
 */
public final class ConvolutionGradientCheck {

    /** The oneDNN environment variable that caps the instruction set of its kernels. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    /** The cap under which the defect disappeared (AVX2 and above were wrong). */
    public static final String SAFE_ISA = "AVX";

    private static final List<ConvCase> CASES = List.of(
            new ConvCase(2, 1, 8, 8, 3, 3, 1, 1, 1),
            new ConvCase(2, 3, 7, 6, 4, 3, 0, 1, 1),
            new ConvCase(2, 4, 9, 9, 8, 3, 1, 2, 1),
            new ConvCase(1, 2, 9, 9, 3, 2, 0, 1, 2));

    private ConvolutionGradientCheck() {}

    /**
     * Runs every case on the default engine.
     *
     * @return the verdict, with the first wrong value when there is one
     */
    public static Result run() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int checked = 0;
            for (ConvCase c : CASES) {
                String mismatch = check(manager, c);
                if (mismatch != null) {
                    return new Result(false, checked, c + ": " + mismatch);
                }
                checked++;
            }
            return new Result(true, checked, null);
        }
    }

    /** Returns null when the engine agrees with the exact integers, else the first wrong value. */
    private static String check(NDManager parent, ConvCase c) {
        int[] x = c.integers(c.inputSize(), 17);
        int[] w = c.integers(c.kernelSize(), 29);
        int[] g = c.integers(c.outputSize(), 41);
        try (NDManager m = parent.newSubManager()) {
            NDArray xa = NativeArrays.create(m, toFloats(x), c.inputShape());
            NDArray wa = NativeArrays.create(m, toFloats(w), c.kernelShape());
            NDArray ga = NativeArrays.create(m, toFloats(g), c.outputShape());
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = Conv2d.conv2d(
                                xa,
                                wa,
                                null,
                                new Shape(c.stride(), c.stride()),
                                new Shape(c.pad(), c.pad()),
                                new Shape(c.dilation(), c.dilation()),
                                1)
                        .singletonOrThrow();
                y = out.toFloatArray();
                collector.backward(out.mul(ga).sum());
            }
            String wrong = compare("output", y, ReferenceConvolution.forward(c, x, w));
            if (wrong == null) {
                wrong = compare(
                        "kernel gradient",
                        wa.getGradient().toFloatArray(),
                        ReferenceConvolution.kernelGradient(c, x, g));
            }
            if (wrong == null) {
                wrong = compare(
                        "input gradient", xa.getGradient().toFloatArray(), ReferenceConvolution.inputGradient(c, w, g));
            }
            return wrong;
        }
    }

    private static String compare(String what, float[] got, long[] expected) {
        if (got.length != expected.length) {
            return what + " has " + got.length + " elements, expected " + expected.length;
        }
        for (int j = 0; j < got.length; j++) {
            // exact integers: equality is exact, takes −0 for 0, and rejects NaN
            if (got[j] != (float) expected[j]) {
                return what + " element " + j + " is " + got[j] + ", exactly " + expected[j];
            }
        }
        return null;
    }

    private static float[] toFloats(int[] v) {
        float[] f = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            f[j] = v[j];
        }
        return f;
    }

    /**
     * The verdict of {@link #run}.
     *
     * @param exact whether every case matched the exact integers
     * @param casesPassed how many cases matched before the first failure (all of them when exact)
     * @param firstMismatch the case and value that differed, or null
     */
    public record Result(boolean exact, int casesPassed, String firstMismatch) {

        /**
         * A message for users: what is wrong and what to set.
         *
         * @return the explanation, or a one-line confirmation when exact
         */
        public String explanation() {
            if (exact) {
                return "float32 convolution output and gradients are exact (" + casesPassed + " cases)";
            }
            String isa = System.getenv(ISA_VARIABLE);
            return "the engine's float32 convolution is wrong on this machine (" + firstMismatch + "); "
                    + (isa == null
                            ? "set the environment variable " + ISA_VARIABLE + "=" + SAFE_ISA
                                    + " before starting Java (oneDNN reads it once at start-up)"
                            : "even with " + ISA_VARIABLE + "=" + isa + "; try " + ISA_VARIABLE + "=SSE41");
        }
    }
}
