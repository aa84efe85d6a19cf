/**
 * Training that survives a kill and a diverging loss: {@link org.qat4j.core.train.checkpoint.ResumableTraining}
 * runs epoch bodies with an atomic checkpoint after each ({@link org.qat4j.core.train.checkpoint.CheckpointStore}:
 * the DJL parameters and the {@link org.qat4j.core.train.checkpoint.TrainingState}), resumes with the next epoch,
 * gives each epoch a seed derived from the run's ({@link org.qat4j.core.train.checkpoint.EpochContext}) and stops
 * a NaN/Inf loss with {@link org.qat4j.core.train.TrainingDivergedException} naming the last good checkpoint.
 * Nothing here knows HGQ or A2Q, export or proof.
 */
package org.qat4j.core.train.checkpoint;
