package dev.lamina.processor.check;

import java.util.List;

/** The rules, in the two groups the pipeline runs: before shape inference, and on the shaped graph. */
public final class Rules {
    private Rules() {
    }

    /** Rules on the attributes alone; shape inference needs them to hold (a zero stride would divide by zero). */
    public static List<Rule> structural() {
        return List.of(new HasLayers(), new PositiveSizes());
    }

    /** Rules that need the inferred shapes. */
    public static List<Rule> shaped() {
        return List.of(new TokensFeedEmbeddings(), new LayerFitsInput(), new OutputFeedsLoss(),
                new LossMatchesOutput());
    }
}
