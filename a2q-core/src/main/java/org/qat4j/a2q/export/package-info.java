/**
 * Export of trained A2Q / A2Q+ networks (arXiv 2308.13504, 2401.10432) to the integer model of
 * {@code org.qat4j.runtime.model}: the already-quantized integer weights (never re-rounded), the
 * activation quantizers' scales and the post-scales, in the float32 order the blocks compute.
 */
package org.qat4j.a2q.export;
