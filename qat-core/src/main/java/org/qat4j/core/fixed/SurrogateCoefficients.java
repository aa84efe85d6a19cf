package org.qat4j.core.fixed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import org.qat4j.core.engine.NativeArrays;
import org.qat4j.runtime.fixed.OverflowMode;

/**
 * The local derivatives of HGQ's fake quantizer (arXiv 2405.00645, Section 4), as constant float64
 * arrays of x's shape, from which {@link FixedPointOps#fakeQuantize} builds a graph whose gradient is
 * exactly {@code upstream * coefficient}:
 * <ul>
 *   <li>inside the range: {@code dxq/dx = 1}, {@code dxq/df = -ln2 * (xq - x)}, {@code dxq/di = 0};</li>
 *   <li>above {@code max = 2^i_eff - 2^-f}: {@code dxq/dx = 0}, {@code dxq/di = ln2 * 2^i_eff},
 *       {@code dxq/df = ln2 * 2^-f};</li>
 *   <li>below {@code min}: {@code dxq/dx = 0}, {@code dxq/di = -k ln2 2^i_eff}, and for SAT_SYM
 *       ({@code min = -k (2^i_eff - 2^-f)}) {@code dxq/df = -k ln2 2^-f}.</li>
 * </ul>
 * These are the derivatives that HGQ2's graph {@code clip(x) + stopgrad(R(y) - y) / 2^f} produces, with
 * the clip bound on the grid so that the residual of a clipped element is 0. A zero derivative is +0.0.
 *
 * @param inside boolean, where {@code dxq/dx = 1}; null when every element passes (no saturation)
 * @param forF {@code dxq/df}, float64
 * @param forI {@code dxq/di}, float64, or null when i gets no gradient
 */
record SurrogateCoefficients(NDArray inside, NDArray forF, NDArray forI) {

    static SurrogateCoefficients of(
            NDArray x64,
            NDArray value,
            BitFormats bits,
            ExactQuantizationKernel.Result q,
            OverflowMode overflow,
            boolean trainableIntegerBits,
            double ln2) {
        NDArray surrogate = value.toType(DataType.FLOAT64, false).sub(x64);
        surrogate = NativeArrays.mul(surrogate, -ln2);
        if (q.clippedHigh() == null) {
            return new SurrogateCoefficients(null, surrogate.add(0.0), null);
        }
        NDArray high = q.clippedHigh();
        NDArray low = q.clippedLow();
        NDArray inside = high.logicalOr(low).logicalNot();
        NDArray highMask = high.toType(DataType.FLOAT64, false);
        NDArray lowMask = low.toType(DataType.FLOAT64, false);
        NDArray forF =
                NDArrays.where(inside, surrogate, surrogate.zerosLike()).add(highMask.mul(bits.upperBoundForF(ln2)));
        if (overflow == OverflowMode.SAT_SYM) {
            forF = forF.add(lowMask.mul(bits.lowerBoundForF(ln2)));
        }
        NDArray forI = null;
        if (trainableIntegerBits) {
            forI = highMask.mul(bits.upperBoundForI(ln2)).add(lowMask.mul(bits.lowerBoundForI(ln2)));
        }
        return new SurrogateCoefficients(inside, forF, forI);
    }
}
