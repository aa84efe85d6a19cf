package org.qat4j.export.c;

import java.util.ArrayList;
import java.util.List;
import org.qat4j.export.GeneratedHeader;

/**
 * The driver {@code <name>_main.c}: reads samples from standard input, one per line, comma-separated
 * float32 values in decimal ({@code strtof}, correctly rounded like Java's {@code Float.parseFloat}),
 * blank lines skipped, and prints one line per sample in {@code qat predict}'s format
 * ({@link org.qat4j.export.PredictionFormat}: {@code %.9g} floats, decimal integers). Exit codes: 0
 * success, 2 a malformed line (named on standard error), 1 the model refused an input (NaN).
 */
final class CDriverSource {
    private CDriverSource() {}

    static String text(String name, boolean floatOutput, List<String> header) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        List<String> h = new ArrayList<>(header);
        h.set(0, name + "_main: reads samples (comma-separated float32, one per line) from stdin, prints outputs");
        String outType = floatOutput ? "float" : "int64_t";
        String print = floatOutput ? "printf(\"%.9g\", (double) out[t]);" : "printf(\"%\" PRId64, out[t]);";
        return GeneratedHeader.comment(h)
                + """
                                #include <inttypes.h>
                #include <stdio.h>
                #include <stdlib.h>
                #include "@NAME@.h"

                static int finish_value(char *tok, size_t len, float *in, size_t *count, long line) {
                    char *end;
                    size_t a = 0;
                    tok[len] = '\\0';
                    while (tok[a] == ' ' || tok[a] == '\\t' || tok[a] == '\\r') a++;
                    while (len > a && (tok[len - 1] == ' ' || tok[len - 1] == '\\t' || tok[len - 1] == '\\r')) tok[--len] = '\\0';
                    if (*count >= @UPPER@_INPUT_SIZE) {
                        fprintf(stderr, "stdin line %ld: more than %d values\\n", line, @UPPER@_INPUT_SIZE);
                        return 2;
                    }
                    in[*count] = strtof(tok + a, &end);
                    if (len == a || *end != '\\0') {
                        fprintf(stderr, "stdin line %ld value %lu = '%s': not a decimal number\\n", line, (unsigned long) (*count + 1), tok + a);
                        return 2;
                    }
                    (*count)++;
                    return 0;
                }

                int main(void) {
                    static float in[@UPPER@_INPUT_SIZE];
                    static @OUT_T@ out[@UPPER@_OUTPUT_SIZE];
                    char tok[128];
                    size_t len = 0, count = 0, t;
                    long line = 1;
                    int ch, rc, blank = 1;
                    for (;;) {
                        ch = getchar();
                        if (ch == ',' || ch == '\\n' || ch == EOF) {
                            if (!(blank && ch != ',')) {
                                rc = finish_value(tok, len, in, &count, line);
                                if (rc != 0) return rc;
                            }
                            len = 0;
                            if (ch != ',') {
                                if (!blank) {
                                    if (count != @UPPER@_INPUT_SIZE) {
                                        fprintf(stderr, "stdin line %ld: %lu values, the model takes %d\\n", line, (unsigned long) count,
                                                @UPPER@_INPUT_SIZE);
                                        return 2;
                                    }
                                    rc = @NAME@_forward(in, out);
                                    if (rc != 0) {
                                        fprintf(stderr, "stdin line %ld: the model refused the input (error %d)\\n", line, rc);
                                        return 1;
                                    }
                                    for (t = 0; t < @UPPER@_OUTPUT_SIZE; t++) {
                                        if (t > 0) putchar(',');
                                        @PRINT@
                                    }
                                    putchar('\\n');
                                }
                                count = 0;
                                blank = 1;
                                line++;
                                if (ch == EOF) break;
                            }
                            continue;
                        }
                        if (ch != ' ' && ch != '\\t' && ch != '\\r') blank = 0;
                        if (len + 1 >= sizeof tok) {
                            fprintf(stderr, "stdin line %ld: a value longer than %lu characters\\n", line, (unsigned long) (sizeof tok - 1));
                            return 2;
                        }
                        tok[len++] = (char) ch;
                    }
                    return fflush(stdout) == 0 ? 0 : 1;
                }
                """.replace("@UPPER@", upper)
                        .replace("@NAME@", name)
                        .replace("@OUT_T@", outType)
                        .replace("@PRINT@", print);
    }
}
