/**
 * Training support for A2Q / A2Q+ on the shared {@code org.qat4j.core.train.QatTrainingLoop}: importing a float
 * model's weights into its quantized twin (with optional EP-init, arXiv 2401.10432, Sec. 4.2), keeping g and s out
 * of weight decay, and an exact audit of every channel's accumulator bound.
 */
package org.qat4j.a2q.train;
