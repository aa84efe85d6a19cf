package org.qat4j.runtime.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an integer model was made, recorded in the model file so that a deployed model can be traced
 * back to its training run (the provenance idea of Tribuo): the method ({@code HGQ}, {@code A2Q},
 * {@code A2Q+}, or anything else), the recipe, the random seed, the library version, and free-form
 * bit settings such as {@code P}, {@code N}, {@code beta}.
 *
 * @param method quantization method, e.g. {@code HGQ} (arXiv 2405.00645) or {@code A2Q+} (arXiv 2401.10432)
 * @param recipe free text naming the training recipe
 * @param seed random seed of the training run
 * @param libraryVersion version of the library that exported the model
 * @param settings further settings, in insertion order
 */
public record Provenance(String method, String recipe, long seed, String libraryVersion, Map<String, String> settings) {

    /** Validates that no field is null and freezes the settings. */
    public Provenance {
        Objects.requireNonNull(method, "provenance.method");
        Objects.requireNonNull(recipe, "provenance.recipe");
        Objects.requireNonNull(libraryVersion, "provenance.libraryVersion");
        settings = Collections.unmodifiableMap(
                new LinkedHashMap<>(Objects.requireNonNull(settings, "provenance.settings")));
    }

    /** Provenance of a model built by hand (tests, examples). */
    public static Provenance handBuilt(String method) {
        return new Provenance(method, "hand-built", 0L, LibraryVersion.VERSION, Map.of());
    }
}
