package org.qat4j.core.fixed;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * Runnable comparison, side by side in one run: the exact {@link FixedPointOps#fakeQuantize} (forward +
 * backward) against the naive float32 straight-through graph {@code x + stopgrad(floor(x 2^f + 1/2) 2^-f
 * - x)} (which has the rounding trap and no clip or bit gradients). Prints milliseconds per step and the
 * ratio, in wall-clock and in this thread's CPU time (with one intra-op thread PyTorch computes on the
 * calling thread, so CPU time is less disturbed by other processes); asserts nothing. Run with
 * {@code -Dai.djl.pytorch.num_threads=1} and report that setting.
 */
public final class FakeQuantizeBenchmark {

    private FakeQuantizeBenchmark() {}

    /**
     * Runs the comparison.
     *
     * @param args optional: rows, columns, steps (default 256 64 300)
     */
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        try (NDManager model = NDManager.newBaseManager()) {
            NDArray k = model.ones(new Shape(1, cols));
            NDArray i = model.full(new Shape(1, cols), 2f);
            NDArray f = model.full(new Shape(1, cols), 6f);
            i.setRequiresGradient(true);
            f.setRequiresGradient(true);
            for (int round = 0; round < 3; round++) {
                double[] exact = time(
                        model,
                        rows,
                        cols,
                        steps,
                        x -> FixedPointOps.fakeQuantize(x, k, i, f, FakeQuantizeOptions.defaults()));
                double[] naive = time(model, rows, cols, steps, x -> {
                    NDArray scale = f.stopGradient().mul(0.6931471805599453).exp();
                    NDArray q = x.mul(scale).add(0.5f).floor().div(scale);
                    return x.add(q.sub(x).stopGradient());
                });
                System.out.printf(
                        "round %d: %dx%d, %d steps, threads=%s: exact fakeQuantize %.3f ms/step "
                                + "(cpu %.3f), naive float32 STE %.3f ms/step (cpu %.3f), ratio %.2f (cpu %.2f)%n",
                        round,
                        rows,
                        cols,
                        steps,
                        System.getProperty("ai.djl.pytorch.num_threads", "default"),
                        exact[0],
                        exact[1],
                        naive[0],
                        naive[1],
                        exact[0] / naive[0],
                        exact[1] / naive[1]);
            }
        }
    }

    private static double[] time(
            NDManager model, int rows, int cols, int steps, java.util.function.Function<NDArray, NDArray> op) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        for (int s = 0; s < steps; s++) {
            try (NDManager batch = model.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(rows, cols));
                x.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(op.apply(x).sum());
                }
                x.getGradient().toFloatArray(); // wait for the result
            }
        }
        double wall = (System.nanoTime() - start) / 1e6 / steps;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / steps;
        return new double[] {wall, cpu};
    }
}
