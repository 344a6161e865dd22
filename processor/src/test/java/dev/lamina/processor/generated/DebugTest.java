package dev.lamina.processor.generated;

import dev.lamina.processor.nets.MlpNet;
import org.junit.jupiter.api.Test;

class DebugTest {
    @Test
    void mlp() {
        MlpNet net = MlpNet.create(1);
        System.out.println(Fixtures.check(net, 4, Fixtures.oneHot(4, 10, 5), 37));
    }
}
