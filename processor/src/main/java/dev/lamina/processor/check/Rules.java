package dev.lamina.processor.check;

import java.util.List;

/**
 * The rules, in the groups the pipeline runs, each group on what it needs: every group runs whenever what it needs
 * is known, so that one mistake does not hide another (LaminaProcessor).
 */
public final class Rules {
    private Rules() {
    }

    /** The network declares layers at all; every other rule is about them. */
    public static List<Rule> declared() {
        return List.of(new HasLayers());
    }

    /**
     * Rules on each layer's attributes alone, run on every layer the reader read as written. Shape inference needs
     * them to hold (a zero stride would divide by zero): a layer they report is left out of it.
     */
    public static List<Rule> attributes() {
        return List.of(new PositiveSizes(), new SizesInRange(), new ValuesInRange());
    }

    /** Rules on which layer reads which; they need every reference the user wrote resolved. */
    public static List<Rule> wiring() {
        return List.of(new EveryLayerReachesOutput());
    }

    /**
     * The layers a network that asks for the R-passes may hold; on the graph as read, so that each declared layer
     * is named once.
     */
    public static List<Rule> secondOrder() {
        return List.of(new SecondOrderCovered());
    }

    /**
     * The sizes the shapes imply fit int-indexed arrays. The rules of {@link #shaped()} compute with shapes in int
     * and assume they do.
     */
    public static List<Rule> sized() {
        return List.of(new SizesFitArrays());
    }

    /** Rules on each layer of the shaped graph that quote shapes in their messages but compute nothing from them. */
    public static List<Rule> perLayer() {
        return List.of(new TokensFeedEmbeddings(), new GeneratedNamesDistinct());
    }

    /** Rules that need the inferred shapes, and sizes that fit ({@link #sized()}). */
    public static List<Rule> shaped() {
        return List.of(new LayerFitsInput());
    }

    /**
     * The rule on the layers the loss reads, judged by their position and annotations: on the shaped graph when it
     * holds the output layer (its messages quote the output's shape), else on the graph as read.
     */
    public static List<Rule> output() {
        return List.of(new OutputFeedsLoss());
    }

    /** The rule on the loss and the output's shape; it needs the output layer shaped, and sizes that fit. */
    public static List<Rule> shapedOutput() {
        return List.of(new LossMatchesOutput());
    }
}
