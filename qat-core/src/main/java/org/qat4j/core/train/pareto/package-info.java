/**
 * The accuracy–cost plane of trained models (HGQ, arXiv 2405.00645 §5): {@link org.qat4j.core.train.pareto.ParetoPoint}
 * (one model), {@link org.qat4j.core.train.pareto.ParetoFront} (the non-dominated ones) and
 * {@link org.qat4j.core.train.pareto.ParetoCheckpointer} (an epoch hook keeping every non-dominated epoch on disk
 * with atomic writes, so one β-ramped run yields the whole trade-off curve).
 */
package org.qat4j.core.train.pareto;
