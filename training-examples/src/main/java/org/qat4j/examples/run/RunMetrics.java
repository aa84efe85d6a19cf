package org.qat4j.examples.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.core.export.RunProvenance;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.checkpoint.TrainingState;
import org.qat4j.core.train.pareto.ParetoFront;
import org.qat4j.core.train.pareto.ParetoPoint;
import org.qat4j.runtime.io.StrictJson;

/**
 * The content of a run's {@code metrics.json}: what was trained and how well the float and integer
 * models do, exact EBOPs (HGQ, arXiv 2405.00645 eq. 9) for HGQ recipes, the bit-exactness check
 * (inputs run through both models, mismatching outputs), whether the overflow certificate holds,
 * wall time, per-layer statistics, the per-epoch history, the accuracy–EBOPs points and the run's
 * provenance (data checksums, JDK, engine). Unset values
 * are left out of the file. Written atomically.
 */
public final class RunMetrics {

    private String recipe;
    private Long seed;
    private Integer epochs;
    private Double floatTestAccuracy;
    private Double integerTestAccuracy;
    private Long ebopsExact;
    private Long bitExactInputs;
    private Long bitExactMismatches;
    private Boolean certificateValid;
    private Double wallSeconds;
    private List<LayerStats> layers = new ArrayList<>();
    private List<EpochRecord> history = new ArrayList<>();
    private List<ParetoPoint> pareto = new ArrayList<>();
    private Map<String, Object> extra = new LinkedHashMap<>();
    private RunProvenance provenance;

    /** Metrics of a run of {@code recipe}. */
    public RunMetrics(String recipe) {
        if (recipe == null || recipe.isBlank()) {
            throw new IllegalArgumentException("recipe must not be blank");
        }
        this.recipe = recipe;
    }

    /** Reads a {@code metrics.json}. */
    public static RunMetrics read(Path file) throws IOException {
        RunMetrics m = StrictJson.read(file, RunMetrics.class);
        if (m.recipe == null) {
            throw new IOException(file + ": metrics.json has no \"recipe\"");
        }
        m.layers = m.layers == null ? new ArrayList<>() : new ArrayList<>(m.layers);
        m.history = m.history == null ? new ArrayList<>() : new ArrayList<>(m.history);
        m.pareto = m.pareto == null ? new ArrayList<>() : new ArrayList<>(m.pareto);
        m.extra = m.extra == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m.extra);
        return m;
    }

    /** Writes this as JSON to {@code file}, atomically. */
    public void write(Path file) throws IOException {
        StrictJson.write(file, this);
    }

    /** The recipe name. */
    public String getRecipe() {
        return recipe;
    }

    /** The run's seed. */
    public RunMetrics setSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The run's seed, or null. */
    public Long getSeed() {
        return seed;
    }

    /** Epochs trained. */
    public RunMetrics setEpochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    /** Epochs trained, or null. */
    public Integer getEpochs() {
        return epochs;
    }

    /** Test accuracy of the float (fake-quantized) model, in [0, 1]. */
    public RunMetrics setFloatTestAccuracy(double accuracy) {
        this.floatTestAccuracy = checkFraction("floatTestAccuracy", accuracy);
        return this;
    }

    /** Float test accuracy, or null. */
    public Double getFloatTestAccuracy() {
        return floatTestAccuracy;
    }

    /** Test accuracy of the exported integer model, in [0, 1]. */
    public RunMetrics setIntegerTestAccuracy(double accuracy) {
        this.integerTestAccuracy = checkFraction("integerTestAccuracy", accuracy);
        return this;
    }

    /** Integer test accuracy, or null. */
    public Double getIntegerTestAccuracy() {
        return integerTestAccuracy;
    }

    /** Exact EBOPs of the exported model (HGQ recipes). */
    public RunMetrics setEbopsExact(long ebops) {
        if (ebops < 0) {
            throw new IllegalArgumentException("ebopsExact must be >= 0, got " + ebops);
        }
        this.ebopsExact = ebops;
        return this;
    }

    /** Exact EBOPs, or null. */
    public Long getEbopsExact() {
        return ebopsExact;
    }

    /** The bit-exactness check: {@code inputs} compared, {@code mismatches} differing in any output bit. */
    public RunMetrics setBitExact(long inputs, long mismatches) {
        if (inputs < 0 || mismatches < 0 || mismatches > inputs) {
            throw new IllegalArgumentException("bit-exact check needs 0 <= mismatches <= inputs, got inputs=" + inputs
                    + " mismatches=" + mismatches);
        }
        this.bitExactInputs = inputs;
        this.bitExactMismatches = mismatches;
        return this;
    }

    /** Inputs run through both models, or null. */
    public Long getBitExactInputs() {
        return bitExactInputs;
    }

    /** Inputs whose outputs differed, or null. */
    public Long getBitExactMismatches() {
        return bitExactMismatches;
    }

    /** Whether the overflow certificate was checked valid. */
    public RunMetrics setCertificateValid(boolean valid) {
        this.certificateValid = valid;
        return this;
    }

    /** Certificate validity, or null. */
    public Boolean getCertificateValid() {
        return certificateValid;
    }

    /** Wall time of the whole run. */
    public RunMetrics setWallSeconds(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("wallSeconds must be >= 0, got " + seconds);
        }
        this.wallSeconds = seconds;
        return this;
    }

    /** Wall seconds, or null. */
    public Double getWallSeconds() {
        return wallSeconds;
    }

    /** Adds one layer's statistics. */
    public RunMetrics addLayer(LayerStats layer) {
        layers.add(layer);
        return this;
    }

    /** Per-layer statistics (live list). */
    public List<LayerStats> getLayers() {
        return layers;
    }

    /** Sets the per-epoch history (e.g. {@link TrainingState#history()}). */
    public RunMetrics setHistory(List<EpochRecord> history) {
        this.history = new ArrayList<>(history);
        return this;
    }

    /** Per-epoch history (live list). */
    public List<EpochRecord> getHistory() {
        return history;
    }

    /** Adds an accuracy–EBOPs point (a checkpoint or a baseline). */
    public RunMetrics addParetoPoint(ParetoPoint point) {
        pareto.add(point);
        return this;
    }

    /** All accuracy–EBOPs points (live list); the front is {@link ParetoFront#of}. */
    public List<ParetoPoint> getParetoPoints() {
        return pareto;
    }

    /** Any further value by name (recipe settings, P, variant...). */
    public RunMetrics putExtra(String key, Object value) {
        extra.put(key, value);
        return this;
    }

    /**
     * The run's provenance, the same the integer model records: recipe, seed, settings, SHA-256 of each data
     * set as trained on, JDK and engine (written last; absent in files of runs before it was recorded).
     */
    public RunMetrics setProvenance(RunProvenance provenance) {
        this.provenance = provenance;
        return this;
    }

    /** The run's provenance, or null if the file does not record it. */
    public RunProvenance getProvenance() {
        return provenance;
    }

    /** Further values (live map). */
    public Map<String, Object> getExtra() {
        return extra;
    }

    private static double checkFraction(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
        return v;
    }
}
