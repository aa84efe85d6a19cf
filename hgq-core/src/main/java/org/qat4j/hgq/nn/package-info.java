/**
 * Layer 3 of HGQ (arXiv 2405.00645): DJL blocks usable in {@code SequentialBlock} and saved with
 * {@code Model.save}. {@link org.qat4j.hgq.nn.HDense}, {@link org.qat4j.hgq.nn.HConv1d} and
 * {@link org.qat4j.hgq.nn.HConv2d} quantize their input, kernel and bias (optionally with batch norm
 * folded in) and contribute {@code β·EBOPs + λ·Σ bits} to the loss; {@link org.qat4j.hgq.nn.HQuantize},
 * {@link org.qat4j.hgq.nn.HActivation}, {@link org.qat4j.hgq.nn.HAdd}, {@link org.qat4j.core.nn.QatPool}
 * and {@link org.qat4j.core.nn.QatFlatten} complete the graph without breaking exactness. In evaluation
 * mode every output is reproducible by an integer runtime from the exported formats and integers.
 */
package org.qat4j.hgq.nn;
