package org.qat4j.examples.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import java.util.concurrent.Callable;
import org.qat4j.core.fixed.FixedPointOps;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.FixedPoint;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Loads the PyTorch engine offline and quantizes a random tensor to a fixed-point format (HGQ,
 * arXiv 2405.00645 §3) on the engine and in the pure-Java runtime, then compares the two bit for
 * bit. Exit code 0 only when every element agrees.
 */
@Command(
        name = "smoke",
        mixinStandardHelpOptions = true,
        description = "Load the engine offline, quantize a tensor on DJL and in the runtime, compare bit for bit.")
public final class SmokeCommand implements Callable<Integer> {

    @Option(
            names = "--count",
            defaultValue = "100000",
            description = "Number of random values (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (count < 1) {
            throw UserError.usage("--count must be >= 1, got " + count);
        }
        Engine engine = Engine.getEngine("PyTorch");
        System.out.printf(
                "engine %s %s, offline=%s, threads=%s%n",
                engine.getEngineName(),
                engine.getVersion(),
                System.getProperty("ai.djl.offline", "false"),
                System.getProperty("ai.djl.pytorch.num_threads", "default"));
        Random random = new Random(seed);
        FixedFormat format = new FixedFormat(1, 2, 5);
        float[] x = new float[count];
        for (int j = 0; j < count; j++) {
            // mix of values on the grid, exact ties and random values, some beyond the range
            x[j] = switch (j % 3) {
                case 0 -> (float) ((random.nextInt(512) - 256 + 0.5) / 32.0);
                case 1 -> (float) ((random.nextInt(512) - 256) / 32.0);
                default -> (float) (random.nextGaussian() * 4);
            };
        }
        int mismatches = 0;
        try (NDManager manager = NDManager.newBaseManager(engine.getEngineName())) {
            NDArray xs = manager.create(x);
            NDArray k = manager.create((float) format.k());
            NDArray i = manager.create((float) format.i());
            NDArray f = manager.create((float) format.f());
            float[] onEngine = FixedPointOps.quantize(xs, k, i, f, RoundingMode.RND, OverflowMode.SAT)
                    .toFloatArray();
            for (int j = 0; j < count; j++) {
                float inRuntime = (float) FixedPoint.toDouble(
                        FixedPoint.quantize(x[j], format, RoundingMode.RND, OverflowMode.SAT), format);
                if (Float.floatToRawIntBits(inRuntime) != Float.floatToRawIntBits(onEngine[j])) {
                    if (mismatches == 0) {
                        // the runtime is pure Java: a second evaluation tells a transient fault from a rule
                        float again = (float) FixedPoint.toDouble(
                                FixedPoint.quantize(x[j], format, RoundingMode.RND, OverflowMode.SAT), format);
                        System.out.printf(
                                "first mismatch at %d: x=%s engine=%s runtime=%s (runtime again: %s)%n",
                                j, x[j], onEngine[j], inRuntime, again);
                    }
                    mismatches++;
                }
            }
        }
        System.out.printf(
                "quantized %d values to %s (RND, SAT): %d mismatches between DJL and the runtime%n",
                count, format, mismatches);
        return mismatches == 0 ? 0 : 1;
    }
}
