package org.qat4j.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The PyTorch engine must load from the jars on the class path, with downloads forbidden. */
class OfflineEngineTest {

    @Test
    void engineLoadsFromTheJarWithDownloadsForbidden() {
        assertEquals(
                "true",
                System.getProperty("ai.djl.offline"),
                "tests must run with ai.djl.offline=true so that any download attempt fails");
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("PyTorch", engine.getEngineName());
        assertTrue(engine.getVersion().startsWith("2.7.1"), "engine version " + engine.getVersion());
        try (NDManager manager = NDManager.newBaseManager(engine.getEngineName())) {
            NDArray a = manager.create(new float[] {1f, 2f, 3f});
            assertEquals(14f, a.mul(a).sum().getFloat());
        }
    }
}
