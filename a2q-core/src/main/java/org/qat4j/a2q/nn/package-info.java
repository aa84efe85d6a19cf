/**
 * Layer 3 of A2Q / A2Q+: DJL blocks. {@link org.qat4j.a2q.nn.QLinear}, {@link org.qat4j.a2q.nn.QConv1d} and
 * {@link org.qat4j.a2q.nn.QConv2d} compute integer dot products of N-bit inputs and M-bit weights whose P-bit
 * accumulators cannot overflow (A2Q, arXiv 2308.13504; A2Q+, arXiv 2401.10432), then apply the scales;
 * {@link org.qat4j.a2q.nn.QReLU} and {@link org.qat4j.a2q.nn.QIdentity} quantize activations for the next layer.
 */
package org.qat4j.a2q.nn;
