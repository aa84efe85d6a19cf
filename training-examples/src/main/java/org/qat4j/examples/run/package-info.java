/**
 * The run directory of a {@code qat} command around the library's training bookkeeping
 * ({@code org.qat4j.core.train.checkpoint}: checkpoints, resume, divergence; {@code org.qat4j.core.train.pareto}:
 * the accuracy–EBOPs front): the directory layout and its lock ({@link org.qat4j.examples.run.RunDirectory},
 * {@link org.qat4j.examples.run.RunLock}), one epoch of {@code QatTrainingLoop} as an epoch body
 * ({@link org.qat4j.examples.run.QatLoopEpochBody}), progress output ({@link org.qat4j.examples.run.EpochProgress}),
 * {@code metrics.json} ({@link org.qat4j.examples.run.RunMetrics}) and PNG plots
 * ({@link org.qat4j.examples.run.RunPlots}). Every file is written by {@link org.qat4j.runtime.io.AtomicFiles}.
 * Nothing here knows HGQ or A2Q: recipes fill in the numbers.
 */
package org.qat4j.examples.run;
