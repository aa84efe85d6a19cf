/**
 * Layer 1 of A2Q / A2Q+: stateless numeric kernels. Weight-normalization integer weights (A2Q, arXiv 2308.13504,
 * Sec. 4; A2Q+, arXiv 2401.10432, Sec. 4), the float32 form of the accumulator bounds, the Euclidean projection
 * onto the L1 ball used by EP-init (Duchi et al. 2008; arXiv 2401.10432, Sec. 4.2), each in an NDArray version
 * (training graph) and where it matters a plain-Java reference version.
 */
package org.qat4j.a2q.kernel;
