/**
 * Pareto-front checkpointing over (validation accuracy, resource cost): every non-dominated epoch is
 * kept on disk with atomic writes, so one β-ramped run yields the whole trade-off curve.
 */
package org.qat4j.core.train.pareto;
