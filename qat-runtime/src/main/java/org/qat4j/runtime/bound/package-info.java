/**
 * Exact accumulator bounds for integer dot products: the A2Q bound {@code ‖q‖₁ ≤ (2^(P−1)−1)·2^(σ−N)}
 * (Colbert et al., arXiv 2308.13504, Sec. 3), the A2Q+ bound {@code Q+, Q− ≤ (2^P−2)/(2·(2^N−1))}
 * (Colbert et al., arXiv 2401.10432, Sec. 3), and the order-independent worst-case partial-sum interval
 * that FINN and qonnx use to size accumulators. Every comparison is done in exact integer arithmetic;
 * nothing here depends on DJL or on floating point.
 */
package org.qat4j.runtime.bound;
