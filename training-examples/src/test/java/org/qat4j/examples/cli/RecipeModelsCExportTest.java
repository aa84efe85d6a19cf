package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.qat4j.examples.recipe.Recipe;
import org.qat4j.examples.recipe.Recipes;
import org.qat4j.examples.recipe.UntrainedRecipeModels;
import org.qat4j.export.c.CDifferentialCheck;
import org.qat4j.runtime.model.IntegerModel;

/**
 * The C export of the model of every example recipe ({@code qat recipes}: HGQ MLP and CNN, A2Q+ CNN,
 * jets MLP) equals the Java runtime byte for byte on 10,000 random and adversarial inputs, built with
 * gcc -O2 and with UBSan. The networks are the recipes' own, initialized and calibrated on random
 * inputs (not trained: the export path and the arithmetic are the same, and the test stays fast).
 */
class RecipeModelsCExportTest {

    @TempDir
    Path tmp;

    static List<String> recipes() {
        return Recipes.all().stream().map(Recipe::name).toList();
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void cEqualsRuntimeOnTenThousandInputs(String name) throws IOException {
        IntegerModel m = UntrainedRecipeModels.of(name, 5);
        CDifferentialCheck.Result r =
                CDifferentialCheck.run(m, Files.createDirectories(tmp.resolve(name)), 5000, 5000, 1000, 17);
        assertEquals(List.of(), r.problems());
        assertEquals(10_000, r.samples());
    }
}
