/**
 * The run directory of a training job and what keeps it safe: atomic writes
 * ({@link org.qat4j.runtime.io.AtomicFiles}), per-epoch checkpoints of a DJL model plus trainer state
 * ({@link org.qat4j.examples.run.CheckpointStore}), epoch-by-epoch training that resumes after a kill
 * with no lost epoch and stops on a NaN/Inf loss keeping the last good checkpoint
 * ({@link org.qat4j.examples.run.ResumableTraining}, {@link org.qat4j.examples.run.QatLoopEpochBody}),
 * {@code metrics.json} ({@link org.qat4j.examples.run.RunMetrics}) and PNG plots
 * ({@link org.qat4j.examples.run.RunPlots}). Nothing here knows HGQ or A2Q: recipes fill in the numbers.
 */
package org.qat4j.examples.run;
