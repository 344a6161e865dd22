package dev.lamina.processor.diag;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The "did you mean" of an unknown layer name: offered for a near name, never for a far one. */
class NearestNameTest {
    @Test
    void editsSwapsAndCaseCountAsExpected() {
        assertThat(NearestName.distance("conv2", "conv2")).isEqualTo(0);
        assertThat(NearestName.distance("Conv2", "conv2")).isEqualTo(0);
        assertThat(NearestName.distance("cnov2", "conv2")).isEqualTo(1); // a swap of neighbours
        assertThat(NearestName.distance("conv", "conv2")).isEqualTo(1);
        assertThat(NearestName.distance("conv22", "conv2")).isEqualTo(1);
        assertThat(NearestName.distance("dense", "conv2")).isEqualTo(4);
    }

    @Test
    void suggestsTheNearestCloseName() {
        List<String> layers = List.of("stem", "conv1", "conv2", "pool", "out");
        assertThat(NearestName.suggestion("conv3", layers)).isEqualTo("; did you mean 'conv1'?");
        assertThat(NearestName.suggestion("cnov2", layers)).isEqualTo("; did you mean 'conv2'?");
        assertThat(NearestName.suggestion("Stem", layers)).isEqualTo("; did you mean 'stem'?");
        assertThat(NearestName.suggestion("ot", layers)).isEqualTo("; did you mean 'out'?");
    }

    @Test
    void suggestsNothingForAFarName() {
        List<String> layers = List.of("stem", "conv1", "conv2", "pool", "out");
        assertThat(NearestName.suggestion("dense", layers)).isEmpty();
        assertThat(NearestName.suggestion("c", List.of("out"))).isEmpty();
        assertThat(NearestName.suggestion("conv", List.of())).isEmpty();
        // two edits in a four-letter name is another name, not a misspelling
        assertThat(NearestName.suggestion("pool", List.of("cool1"))).isEmpty();
    }
}
