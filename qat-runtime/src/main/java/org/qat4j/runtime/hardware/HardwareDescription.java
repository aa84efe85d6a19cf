package org.qat4j.runtime.hardware;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.qat4j.runtime.model.Json;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelReader;

/**
 * What a target computes natively, per accumulating op kind — the hardware description of HAGO (Jiang et
 * al. 2021, "Automated Backend-Aware Post-Training Quantization", §3: the backend states which data types
 * each operator supports, and the search only picks among them). File {@code qat4j-hardware}, version 1
 * (docs/hardware.md):
 * <pre>
 * {"format": "qat4j-hardware", "formatVersion": 1, "name": "MCU int8 x int8 -&gt; int32",
 *  "ops": {"dense": {"inputBits": [8], "weightBits": [8], "accumulatorBits": 32}, ...}}
 * </pre>
 * A value of width w runs on the smallest allowed width ≥ w; widths are FINN's (the sign bit counted
 * when a value can be negative). {@code accumulatorBits} caps the declared signed accumulator of the op
 * (for {@code multipoint_dense}: of each point row), {@code combinationBits} (optional, multipoint only)
 * caps the register that combines the points.
 *
 * @param name what the file calls the target
 * @param ops per op word ({@code dense}, {@code conv2d}, {@code multipoint_dense}, …)
 */
public record HardwareDescription(String name, Map<String, OpRule> ops) {
    /** The file's format word. */
    public static final String FORMAT = "qat4j-hardware";

    /**
     * The widths one op kind supports.
     *
     * @param inputBits allowed input widths, ascending, each in [1, 64]
     * @param weightBits allowed weight widths, ascending (empty for ops without weights)
     * @param accumulatorBits the widest accumulator, in [2, 64]
     * @param combinationBits multipoint: the widest combination register, 0 when unlimited (64)
     */
    public record OpRule(int[] inputBits, int[] weightBits, int accumulatorBits, int combinationBits) {
        /** The smallest allowed width ≥ {@code w}, or −1. */
        public static int fit(int[] allowed, int w) {
            for (int a : allowed) {
                if (a >= w) {
                    return a;
                }
            }
            return -1;
        }

        @Override
        public int[] inputBits() {
            return inputBits.clone();
        }

        @Override
        public int[] weightBits() {
            return weightBits.clone();
        }
    }

    /** Freezes the map. */
    public HardwareDescription {
        ops = Collections.unmodifiableMap(new LinkedHashMap<>(ops));
    }

    /** The op words with a rule. */
    public Set<String> opKinds() {
        return ops.keySet();
    }

    /** Reads and validates a description file; errors name the file and the field. */
    public static HardwareDescription read(Path file) throws IOException {
        String text = ModelReader.readCapped(file, 1 << 20, "hardware description");
        try {
            return parse(text);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses description text. */
    public static HardwareDescription parse(String text) {
        Json root = Json.root(ModelReader.parse(text, "hardware description"), "the hardware description");
        String format = root.string("format");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException("$.format = '" + format + "', expected '" + FORMAT + "'");
        }
        int version = root.integer("formatVersion");
        if (version != 1) {
            throw new ModelFormatException("$.formatVersion = " + version + ": unknown version, this reader knows 1");
        }
        Json ops = root.object("ops");
        Map<String, OpRule> rules = new LinkedHashMap<>();
        for (String kind : ops.raw().keySet()) {
            Json o = ops.object(kind);
            int[] in = widths(o, "inputBits", true);
            int[] w = o.has("weightBits") ? widths(o, "weightBits", false) : new int[0];
            int acc = o.integer("accumulatorBits");
            if (acc < 2 || acc > 64) {
                throw new ModelFormatException(o.path() + ".accumulatorBits = " + acc + ": must lie in [2, 64]");
            }
            int comb = o.has("combinationBits") ? o.integer("combinationBits") : 0;
            if (comb != 0 && (comb < 2 || comb > 64)) {
                throw new ModelFormatException(o.path() + ".combinationBits = " + comb + ": must lie in [2, 64]");
            }
            rules.put(kind, new OpRule(in, w, acc, comb));
        }
        if (rules.isEmpty()) {
            throw new ModelFormatException("$.ops: no op kind described");
        }
        return new HardwareDescription(root.string("name"), rules);
    }

    private static int[] widths(Json o, String key, boolean required) {
        int[] v = o.intArray(key).clone();
        if (v.length == 0 && required) {
            throw new ModelFormatException(o.path() + "." + key + ": at least one width");
        }
        Arrays.sort(v);
        for (int w : v) {
            if (w < 1 || w > 64) {
                throw new ModelFormatException(
                        o.path() + "." + key + " = " + Arrays.toString(v) + ": widths must lie in [1, 64]");
            }
        }
        return v;
    }
}
