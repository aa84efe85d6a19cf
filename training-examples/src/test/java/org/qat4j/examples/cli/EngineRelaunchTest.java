package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qat4j.core.engine.ConvolutionGradientCheck;

class EngineRelaunchTest {

    @Test
    void commandsThatDoNotTrainRunInThisJvm() {
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[0]));
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[] {"recipes"}));
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[] {"verify", "--model", "m.json"}));
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[] {"train", "--help"}));
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[] {"bench", "-h"}));
    }

    @Test
    void anEnvironmentWithEverySettingNeedsNoRestart() {
        Map<String, String> env = new HashMap<>(EngineRelaunch.ALLOCATOR_SETTINGS);
        env.put(ConvolutionGradientCheck.ISA_VARIABLE, "AVX512_CORE"); // the user's choice is kept
        assertEquals(Map.of(), EngineRelaunch.missingSettings(env));
    }

    @Test
    void missingAllocatorSettingsAreAddedAndUserValuesKept() {
        Map<String, String> env = new HashMap<>();
        env.put(ConvolutionGradientCheck.ISA_VARIABLE, "AVX");
        env.put("MALLOC_ARENA_MAX", "4");
        assertEquals(
                Map.of("MALLOC_TRIM_THRESHOLD_", "1073741824", "MALLOC_MMAP_THRESHOLD_", "33554432"),
                EngineRelaunch.missingSettings(env));
    }

    /**
     * Without the variable in the given environment the check runs in this JVM, which the build starts
     * capped (parent pom): the engine is exact here, so the cap is not added.
     */
    @Test
    void theCapIsAddedOnlyWhenThisJvmsEngineIsWrong() {
        assertEquals(ConvolutionGradientCheck.SAFE_ISA, System.getenv(ConvolutionGradientCheck.ISA_VARIABLE));
        Map<String, String> env = new HashMap<>(EngineRelaunch.ALLOCATOR_SETTINGS);
        assertEquals(Map.of(), EngineRelaunch.missingSettings(env));
    }
}
