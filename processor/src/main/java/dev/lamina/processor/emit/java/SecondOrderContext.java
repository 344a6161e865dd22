package dev.lamina.processor.emit.java;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.plan.Schedule;

/**
 * What a layer's R-rules are written with in the generated {@code hessianVectorProduct}: the whole batch's
 * regions of the last forward pass, and the pass's double arrays, one set per layer that computes (a view's are
 * its input's), named after the layer's field. Locals of the method: {@code n} (rows), {@code a} (the arena),
 * {@code p} (the parameters), {@code v} (the direction) and {@code out} ({@code H v}), both laid out as the
 * parameters are, and {@link #chunks()}.
 */
public final class SecondOrderContext {
    private final Schedule schedule;
    private final Names names;
    private final Node node;

    SecondOrderContext(Schedule schedule, Names names, Node node) {
        this.schedule = schedule;
        this.names = names;
        this.node = node;
    }

    public Graph graph() {
        return schedule.graph();
    }

    /** How the layer's GEMM-shaped products are spelled: in float or in double, as the network asked. */
    public ProductArithmetic arithmetic() {
        return new ProductArithmetic(schedule.graph().secondOrderPrecision() == dev.lamina.dsl.Precision.FLOAT);
    }

    /** {@code dev.lamina.runtime.Memory} {@code arena}: the arena as a block, for GEMMs that read it in place. */
    public String arena() {
        return "arena";
    }

    /** {@code params}: the parameters as a block, for GEMMs that read them in place. */
    public String params() {
        return "params";
    }

    /** {@code directionBlock}: the direction rounded to float, laid out as the parameters (products in float only). */
    public String direction() {
        return "directionBlock";
    }

    /** Whether the layer reads the network input (through views): its input has no R and needs no gradient. */
    public boolean readsNetworkInput() {
        return schedule.source(node.input()) == 0;
    }

    /** The method's {@code SecondOrderChunks}, which runs a layer's rules chunk by chunk on the model's workers. */
    public String chunks() {
        return "chunks";
    }

    /** {@code REGION * n}: where the batch's input of the layer starts in the arena. */
    public String inRegion() {
        return names.region(schedule.source(node.input())) + " * n";
    }

    /** {@code REGION * n}: where the batch's output of the layer starts in the arena. */
    public String outRegion() {
        return names.out(node.id()) + " * n";
    }

    /** The layer's generated constant {@code <FIELD>_<suffix>} (a parameter's offset). */
    public String constant(String suffix) {
        return Names.constant(node, suffix);
    }

    /** {@code R{output}}: the R of the layer's output, a double per value of the batch. */
    public String rOut() {
        return arrays(node.id()) + "R";
    }

    /** The R of the layer's input (not there when {@link #readsNetworkInput()}). */
    public String rIn() {
        return arrays(schedule.source(node.input())) + "R";
    }

    /** The gradient of the loss at the layer's output. */
    public String dOut() {
        return arrays(node.id()) + "D";
    }

    /** Its R. */
    public String rdOut() {
        return arrays(node.id()) + "Rd";
    }

    /** The gradient at the layer's input, added into (not there when {@link #readsNetworkInput()}). */
    public String dIn() {
        return arrays(schedule.source(node.input())) + "D";
    }

    /** Its R, added into. */
    public String rdIn() {
        return arrays(schedule.source(node.input())) + "Rd";
    }

    /** Whether the layer's input {@code input} (a node id, one of {@code node.inputs()}) is the network input. */
    public boolean readsNetworkInput(int input) {
        return schedule.source(input) == 0;
    }

    /** {@code REGION * n}: where the batch's values of the layer's input {@code input} (a node id) start. */
    public String inRegion(int input) {
        return names.region(schedule.source(input)) + " * n";
    }

    /** The R of the layer's input {@code input} (a node id), for a layer of several inputs. */
    public String rIn(int input) {
        return arrays(input) + "R";
    }

    /** The gradient at the layer's input {@code input} (a node id), added into. */
    public String dIn(int input) {
        return arrays(input) + "D";
    }

    /** Its R, added into. */
    public String rdIn(int input) {
        return arrays(input) + "Rd";
    }

    /** A further array of the layer's own, {@code <field><suffix>}, which it declares in its R-forward step. */
    public String own(String suffix) {
        return arrays(node.id()) + suffix;
    }

    /** The prefix of the arrays of node {@code id}, looking through views. */
    private String arrays(int id) {
        return Names.field(schedule.graph().node(schedule.source(id)));
    }
}
