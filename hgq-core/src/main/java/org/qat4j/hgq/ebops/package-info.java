/**
 * Exact EBOPs (arXiv 2405.00645, §5): {@code Σ b_in·b_w} over every multiplication from the final
 * bits, in long arithmetic, with a per-layer report. The differentiable estimate used in training is a
 * kernel ({@link org.qat4j.hgq.kernel.EbopsEstimate}) the layers call; this package reads the layers and
 * nothing here is called by them, so {@code nn} and {@code ebops} form no cycle.
 */
package org.qat4j.hgq.ebops;
