/**
 * Exact fixed-point arithmetic on {@code long} mantissas: formats {@code (k, i, f)}, the rounding and
 * overflow modes of HGQ (arXiv 2405.00645, Section 3) and hls4ml/ap_fixed, quantization of doubles and
 * requantization between formats with integer shifts only.
 *
 * <p>Everything here is exact: a real value is rounded once, by a rule decided from its exact binary
 * fraction, never from a float sum such as {@code x * 2^f + 0.5}. {@link
 * org.qat4j.runtime.fixed.FixedPoint#quantizeLikeReferenceFloat32} is the single exception and exists
 * only to compare against the float32 reference implementation of HGQ2.
 */
package org.qat4j.runtime.fixed;
