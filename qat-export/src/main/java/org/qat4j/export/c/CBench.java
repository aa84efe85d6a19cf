package org.qat4j.export.c;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.export.ExportException;
import org.qat4j.export.Toolchain;
import org.qat4j.runtime.io.AtomicFiles;

/**
 * Times an exported C model inside C: a driver of its own, {@code <name>_bench.c}, reads SAMPLES float32
 * inputs (raw, native byte order), computes every sample once and writes the outputs raw (so the caller
 * compares them bit for bit with the Java runtime before trusting a time), then calls
 * {@code <name>_forward} over the first BATCH samples again and again for at least SECONDS and prints the
 * mean microseconds per sample, wall ({@code clock_gettime(CLOCK_MONOTONIC)}) and CPU ({@code CLOCK_PROCESS_CPUTIME_ID}: on
 * a shared machine the CPU time is what compares). BATCH 1 is the
 * latency of one sample (its data hot in cache); a larger BATCH is the throughput over distinct samples.
 * Built with {@link CExporter#FLAGS} ({@code -O2 -ffp-contract=off}), no other optimization flag.
 */
public final class CBench {
    private CBench() {}

    /** Writes {@code dir/<name>_bench.c} and compiles it with {@code dir/<name>.c} into {@code dir/<name>_bench}. */
    public static Path build(Path dir, String name, boolean floatOutput) throws IOException {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        AtomicFiles.writeString(dir.resolve(name + "_bench.c"), """
                /* @NAME@_bench: IN.f32 SAMPLES BATCH SECONDS OUT.bin -> mean wall and CPU microseconds per sample on stdout */
                #define _POSIX_C_SOURCE 199309L
                #include <stdio.h>
                #include <stdlib.h>
                #include <time.h>
                #include "@NAME@.h"

                static double now(clockid_t clock) {
                    struct timespec t;
                    clock_gettime(clock, &t);
                    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
                }

                int main(int argc, char **argv) {
                    long samples, batch, s, calls = 0;
                    double seconds, t0, t, c0;
                    float *in;
                    @OUT_T@ *out;
                    FILE *f;
                    int rc = 0;
                    if (argc != 6) {
                        fprintf(stderr, "usage: %s IN.f32 SAMPLES BATCH SECONDS OUT.bin\\n", argv[0]);
                        return 2;
                    }
                    samples = atol(argv[2]);
                    batch = atol(argv[3]);
                    seconds = atof(argv[4]);
                    if (samples < 1 || batch < 1 || batch > samples) {
                        fprintf(stderr, "SAMPLES %ld, BATCH %ld: need 1 <= BATCH <= SAMPLES\\n", samples, batch);
                        return 2;
                    }
                    in = malloc(sizeof(float) * (size_t) samples * @UPPER@_INPUT_SIZE);
                    out = malloc(sizeof(@OUT_T@) * (size_t) samples * @UPPER@_OUTPUT_SIZE);
                    f = fopen(argv[1], "rb");
                    if (in == NULL || out == NULL || f == NULL
                            || fread(in, sizeof(float) * @UPPER@_INPUT_SIZE, (size_t) samples, f) != (size_t) samples) {
                        fprintf(stderr, "%s: cannot read %ld samples\\n", argv[1], samples);
                        return 2;
                    }
                    fclose(f);
                    for (s = 0; s < samples; s++) rc |= @NAME@_forward(in + s * @UPPER@_INPUT_SIZE, out + s * @UPPER@_OUTPUT_SIZE);
                    f = fopen(argv[5], "wb");
                    if (f == NULL || fwrite(out, sizeof(@OUT_T@) * @UPPER@_OUTPUT_SIZE, (size_t) samples, f) != (size_t) samples
                            || fclose(f) != 0) {
                        fprintf(stderr, "%s: cannot write the outputs\\n", argv[5]);
                        return 2;
                    }
                    t0 = now(CLOCK_MONOTONIC);
                    c0 = now(CLOCK_PROCESS_CPUTIME_ID);
                    do {
                        for (s = 0; s < batch; s++) rc |= @NAME@_forward(in + s * @UPPER@_INPUT_SIZE, out + s * @UPPER@_OUTPUT_SIZE);
                        calls += batch;
                        t = now(CLOCK_MONOTONIC);
                    } while (t - t0 < seconds);
                    if (rc != 0) {
                        fprintf(stderr, "the model refused an input (error %d)\\n", rc);
                        return 1;
                    }
                    printf("%.6g %.6g\\n", (t - t0) * 1e6 / (double) calls, (now(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1e6 / (double) calls);
                    return 0;
                }
                """.replace("@NAME@", name)
                .replace("@UPPER@", upper)
                .replace("@OUT_T@", floatOutput ? "float" : "int64_t"));
        Toolchain.require("gcc", "gcc");
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(CExporter.FLAGS);
        cmd.addAll(List.of("-o", name + "_bench", name + ".c", name + "_bench.c"));
        Toolchain.runOk(cmd, dir, null, 600);
        return dir.resolve(name + "_bench");
    }

    /** Runs the driver; returns mean microseconds per sample: {wall (CLOCK_MONOTONIC), CPU (CLOCK_PROCESS_CPUTIME_ID)}. */
    public static double[] run(Path exe, Path inputs, int samples, int batch, double seconds, Path outputs)
            throws IOException {
        Toolchain.Result r = Toolchain.runOk(
                List.of(
                        exe.toAbsolutePath().toString(),
                        inputs.toAbsolutePath().toString(),
                        Integer.toString(samples),
                        Integer.toString(batch),
                        Double.toString(seconds),
                        outputs.toAbsolutePath().toString()),
                exe.getParent(),
                null,
                600 + (long) seconds);
        try {
            String[] v = r.out().strip().split(" ");
            return new double[] {Double.parseDouble(v[0]), Double.parseDouble(v[1])};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new ExportException(exe.getFileName() + " printed '" + r.out().strip() + "', not a time");
        }
    }
}
