package org.qat4j.core.export;

import ai.djl.engine.Engine;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Provenance;

/**
 * How a training run made an integer model, typed: the recipe, the seed, the run's settings, the
 * checksums of the data sets it read, and — filled in automatically — the JDK and the DJL engine it ran
 * on. {@link #applyTo} records it in the model's {@link Provenance} (the provenance idea of Tribuo):
 * method and library version stay the exporter's, the exporter's settings come first, then the run's
 * settings, then {@code <name>DataSha256} per data set, {@code jdk} and {@code engine}.
 *
 * @param recipe free text naming the training recipe
 * @param seed random seed of the run
 * @param settings the run's settings, in order
 * @param dataSha256 data set name → SHA-256 of its contents as trained on, in order
 * @param jdk the Java runtime (VM name and runtime version)
 * @param engine the DJL engine, its version and DJL's version
 */
public record RunProvenance(
        String recipe,
        long seed,
        Map<String, String> settings,
        Map<String, String> dataSha256,
        String jdk,
        String engine) {

    /** Validates and freezes the maps. */
    public RunProvenance {
        Objects.requireNonNull(recipe, "recipe");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        dataSha256 = Collections.unmodifiableMap(new LinkedHashMap<>(dataSha256));
        Objects.requireNonNull(jdk, "jdk");
        Objects.requireNonNull(engine, "engine");
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Java runtime this JVM runs on, e.g. {@code OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1}. */
    public static String currentJdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    /** The default DJL engine, e.g. {@code PyTorch 2.7.1, DJL 0.36.0}. */
    public static String currentEngine() {
        Engine e = Engine.getInstance();
        return e.getEngineName() + " " + e.getVersion() + ", DJL " + Engine.getDjlVersion();
    }

    /** {@code exported} with this run recorded in its provenance. */
    public IntegerModel applyTo(IntegerModel exported) {
        Provenance p = exported.provenance();
        Map<String, String> all = new LinkedHashMap<>(p.settings());
        all.putAll(settings);
        dataSha256.forEach((name, sha) -> all.put(name + "DataSha256", sha));
        all.put("jdk", jdk);
        all.put("engine", engine);
        return exported.toBuilder()
                .setProvenance(new Provenance(p.method(), recipe, seed, p.libraryVersion(), all))
                .build();
    }

    /** Builder: {@code setRecipe} required; the JDK and the engine are filled in by {@link #build}. */
    public static final class Builder {
        private String recipe;
        private long seed;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, String> dataSha256 = new LinkedHashMap<>();

        private Builder() {}

        /** The recipe's name. */
        public Builder setRecipe(String recipe) {
            this.recipe = Objects.requireNonNull(recipe, "recipe");
            return this;
        }

        /** The run's random seed (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** One setting; a null value is left out (an option not given). */
        public Builder optSetting(String key, Object value) {
            if (value != null) {
                settings.put(Objects.requireNonNull(key, "key"), String.valueOf(value));
            }
            return this;
        }

        /** The SHA-256 (hex) of data set {@code name} (e.g. {@code train}) as trained on. */
        public Builder optDataSha256(String name, String sha256) {
            if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("data set " + name + ": not a SHA-256 in hex: " + sha256);
            }
            dataSha256.put(Objects.requireNonNull(name, "name"), sha256);
            return this;
        }

        /** Builds the provenance with the current JDK and engine. */
        public RunProvenance build() {
            if (recipe == null) {
                throw new IllegalArgumentException("recipe is required (setRecipe)");
            }
            return new RunProvenance(recipe, seed, settings, dataSha256, currentJdk(), currentEngine());
        }
    }
}
