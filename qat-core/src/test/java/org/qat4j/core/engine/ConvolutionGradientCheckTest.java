package org.qat4j.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ConvolutionGradientCheckTest {

    /**
     * The build runs tests with oneDNN capped (parent pom, surefire environment): training in this JVM
     * gets exact convolution gradients, or the build fails here with the reason.
     */
    @Test
    void engineConvolutionAndItsGradientsAreExactInTheTestEnvironment() {
        ConvolutionGradientCheck.Result r = ConvolutionGradientCheck.run();
        assertTrue(r.exact(), r.explanation());
        assertEquals(4, r.casesPassed());
    }

    @Test
    void referenceMatchesAHandComputation() {
        // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,0],[0,-1]]: y[p,q] = x[p,q] − x[p+1,q+1] = −4 everywhere
        ConvCase c = new ConvCase(1, 1, 3, 3, 1, 2, 0, 1, 1);
        int[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] w = {1, 0, 0, -1};
        assertArrayEquals(new long[] {-4, -4, -4, -4}, ReferenceConvolution.forward(c, x, w));
        int[] g = {1, 2, 3, 4};
        // ∂/∂w[a,b] = Σ g[p,q]·x[p+a,q+b]
        assertArrayEquals(
                new long[] {1 + 4 + 12 + 20, 2 + 6 + 15 + 24, 4 + 10 + 21 + 32, 5 + 12 + 24 + 36},
                ReferenceConvolution.kernelGradient(c, x, g));
        // ∂/∂x[i,j] = g[i,j]·w[0,0] + g[i−1,j−1]·w[1,1]
        assertArrayEquals(new long[] {1, 2, 0, 3, 4 - 1, -2, 0, -3, -4}, ReferenceConvolution.inputGradient(c, w, g));
    }

    /** Σ y·g = Σ x·∂x = Σ w·∂w for any bilinear map: the three loops agree on every tap. */
    @Property(tries = 300)
    void referenceGradientsSatisfyTheBilinearIdentity(
            @ForAll @IntRange(min = 1, max = 2) int batch,
            @ForAll @IntRange(min = 1, max = 3) int cin,
            @ForAll @IntRange(min = 3, max = 7) int side,
            @ForAll @IntRange(min = 1, max = 3) int cout,
            @ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll @IntRange(min = 0, max = 2) int pad,
            @ForAll @IntRange(min = 1, max = 2) int stride,
            @ForAll @IntRange(min = 1, max = 2) int dilation,
            @ForAll @IntRange(min = 1, max = 1000) int salt) {
        ConvCase c = new ConvCase(batch, cin, side, side + 1, cout, k, pad, stride, dilation);
        if (c.outputHeight() < 1 || c.outputWidth() < 1) {
            return;
        }
        int[] x = c.integers(c.inputSize(), salt);
        int[] w = c.integers(c.kernelSize(), salt + 1);
        int[] g = c.integers(c.outputSize(), salt + 2);
        long viaOutput = dot(ReferenceConvolution.forward(c, x, w), g);
        assertEquals(viaOutput, dot(ReferenceConvolution.inputGradient(c, w, g), x), c::toString);
        assertEquals(viaOutput, dot(ReferenceConvolution.kernelGradient(c, x, g), w), c::toString);
    }

    private static long dot(long[] a, int[] b) {
        long s = 0;
        for (int j = 0; j < a.length; j++) {
            s = Math.addExact(s, Math.multiplyExact(a[j], b[j]));
        }
        return s;
    }
}
