/**
 * Export of trained HGQ networks (arXiv 2405.00645) to the integer model of
 * {@code org.qat4j.runtime.model}: per-element input formats, weights aligned to one grid per output
 * channel, accumulator widths derived by interval arithmetic.
 */
package org.qat4j.hgq.export;
