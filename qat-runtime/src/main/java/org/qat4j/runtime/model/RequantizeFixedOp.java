package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * {@code requantize_fixed}: integer input on grids {@code 2^-inputFrac} → mantissas of the output
 * formats {@code (k, i, f)}, per element {@code m' = overflow(round(m · 2^(f − inputFrac)))} with integer
 * shifts only (exact; HGQ arXiv 2405.00645 §3: the activation quantizer applied to a layer's exact
 * output). This is the HGQ activation quantizer that follows a dense/conv/add/pool op.
 *
 * @param name output tensor
 * @param input integer input
 * @param inputFrac fraction bits of the input, per tensor, channel or element
 * @param formats output formats, per tensor, channel or element
 * @param rounding rounding mode
 * @param overflow overflow mode
 */
public record RequantizeFixedOp(
        String name, String input, int[] inputFrac, FixedFormats formats, RoundingMode rounding, OverflowMode overflow)
        implements ModelOp {
    /** Rejects nulls, copies arrays. */
    public RequantizeFixedOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(formats, "formats");
        Objects.requireNonNull(rounding, "rounding");
        Objects.requireNonNull(overflow, "overflow");
        inputFrac = inputFrac.clone();
        for (int f : inputFrac) {
            if (Math.abs(f) > 124) {
                throw new ModelFormatException(name + ".inputFrac = " + f + ": must lie in [-124, 124]");
            }
        }
    }

    @Override
    public int[] inputFrac() {
        return inputFrac.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "requantize_fixed";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        ModelOp.requireKind(in.get(0), TensorKind.INT, field, input);
        Granularity.of(inputFrac.length, in.get(0).shape(), field + ".inputFrac");
        Granularity.of(formats.length(), in.get(0).shape(), field + ".formats");
        return new TensorInfo(in.get(0).shape(), TensorKind.INT);
    }
}
