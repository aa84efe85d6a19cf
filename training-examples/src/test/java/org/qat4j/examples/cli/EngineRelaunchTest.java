package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.qat4j.core.engine.ConvolutionGradientCheck;

class EngineRelaunchTest {

    @Test
    void commandsThatDoNotTrainRunInThisJvm() {
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[0]));
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[] {"recipes"}));
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[] {"verify", "--model", "m.json"}));
    }

    /** The build sets the cap for tests (parent pom), so training runs here: no child, no endless restarts. */
    @Test
    void trainingRunsInThisJvmOnceTheCapIsSet() {
        assertEquals(ConvolutionGradientCheck.SAFE_ISA, System.getenv(ConvolutionGradientCheck.ISA_VARIABLE));
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[] {"train", "--help"}));
        assertEquals(-1, EngineRelaunch.relaunchIfNeeded(new String[] {"bench", "--help"}));
    }
}
