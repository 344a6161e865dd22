package dev.lamina.processor.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.runtime.Worker;
import org.junit.jupiter.api.Test;

/** The processor does not depend on the runtime, so it restates the runtime's block size: they must agree. */
class HeapBlockTest {
    @Test
    void generatedCodeBlocksAsTheWorkersDo() {
        assertEquals(Worker.BLOCK, LayerCode.HEAP_BLOCK);
    }
}
