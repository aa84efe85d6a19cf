/**
 * Exact EBOPs (arXiv 2405.00645, §5): {@code Σ b_in·b_w} over every multiplication from the final
 * bits, in long arithmetic, with a per-layer report. The differentiable estimate used in training lives
 * in the layers ({@link org.qat4j.hgq.nn.HgqLayer#ebopsEstimate}).
 */
package org.qat4j.hgq.ebops;
