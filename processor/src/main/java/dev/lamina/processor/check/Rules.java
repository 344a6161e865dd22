package dev.lamina.processor.check;

import java.util.List;

/** The rules, in the groups the pipeline runs: before shape inference, on sizes, and on the shaped graph. */
public final class Rules {
    private Rules() {
    }

    /** Rules on the attributes alone; shape inference needs them to hold (a zero stride would divide by zero). */
    public static List<Rule> structural() {
        return List.of(new HasLayers(), new PositiveSizes(), new SizesInRange(), new ValuesInRange(),
                new EveryLayerReachesOutput());
    }

    /** The sizes the shapes imply fit int-indexed arrays; the shaped rules assume they do. */
    public static List<Rule> sized() {
        return List.of(new SizesFitArrays());
    }

    /** Rules that need the inferred shapes. */
    public static List<Rule> shaped() {
        return List.of(new TokensFeedEmbeddings(), new LayerFitsInput(), new OutputFeedsLoss(),
                new LossMatchesOutput(), new GeneratedNamesDistinct());
    }
}
