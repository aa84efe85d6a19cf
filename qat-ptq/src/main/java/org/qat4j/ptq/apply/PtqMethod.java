package org.qat4j.ptq.apply;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The post-training quantization methods of {@link PostTrainingQuantizer}, with their command-line names. */
public enum PtqMethod {
    /** Weights: one clip per tensor, max|W|; activations: their calibration maximum. */
    MINMAX_TENSOR("minmax-tensor"),
    /** Weights: one clip per output channel, max|W_c|; activations: their calibration maximum. */
    MINMAX_CHANNEL("minmax-channel"),
    /** Weights per channel max|W_c|; activations: the 99.99th percentile (configurable). */
    PERCENTILE("percentile"),
    /** Weights per channel and activations at their MSE-optimal clip (Brent search). */
    MSE("mse"),
    /** LAPQ (arXiv 1911.07190): Lp-optimal clips, quadratic fit of the loss over p, joint Powell on the loss. */
    LAPQ("lapq"),
    /** GPFQ (arXiv 2201.11113): greedy error-correcting rounding from MSE clips. */
    GPFQ("gpfq"),
    /** AXE (arXiv 2409.17092): GPFQ with the A2Q+ accumulator constraint at P; certified at P. */
    AXE("axe"),
    /** GPTQ (arXiv 2210.17323): Hessian-based error compensation from MSE clips. */
    GPTQ("gptq"),
    /** AXE in its GPTQ form (arXiv 2409.17092; Brevitas' A2GPTQ): GPTQ with the A2Q+ constraint at P; certified at P. */
    AXE_GPTQ("axe-gptq"),
    /** AdaRound (arXiv 2004.10568): learned rounding, layer-wise reconstruction. */
    ADAROUND("adaround"),
    /** BRECQ (arXiv 2102.05426): learned rounding, block-wise reconstruction (two consecutive layers). */
    BRECQ("brecq");

    private final String cliName;

    PtqMethod(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line. */
    public String cliName() {
        return cliName;
    }

    /** True for methods that learn or search the rounding of each weight (they set the integers themselves). */
    public boolean setsIntegers() {
        return this == GPFQ || this == AXE || this == GPTQ || this == AXE_GPTQ || this == ADAROUND || this == BRECQ;
    }

    /** True for the accumulator-aware methods (AXE in its GPFQ and GPTQ forms): they need {@code --acc-bits P}. */
    public boolean needsAccumulator() {
        return this == AXE || this == AXE_GPTQ;
    }

    /** The method called {@code name} (case-insensitive); the error lists the known names. */
    public static PtqMethod parse(String name) {
        for (PtqMethod m : values()) {
            if (m.cliName.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown PTQ method '" + name + "'; known methods: "
                + Arrays.stream(values()).map(PtqMethod::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
