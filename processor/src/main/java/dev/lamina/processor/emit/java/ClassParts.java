package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.plan.MemoryPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The members of the generated class that layers add through {@link JavaLowering#declare}, gathered in the order the
 * layers come and placed by {@link JavaEmitter}: documented regions among the region constants, constants after
 * them, fields after the class's own, set-up before a training pass, checks at the end of the constructor.
 */
public final class ClassParts {
    private final MemoryPlan plan;
    private final Map<Integer, String> regions;
    private final Map<String, String> docs;
    private final List<FieldSpec> constants = new ArrayList<>();
    private final List<FieldSpec> fields = new ArrayList<>();
    private final CodeBlock.Builder trainingSetup = CodeBlock.builder();
    private String batchOfOne;

    ClassParts(MemoryPlan plan, Map<Integer, String> regions, Map<String, String> docs) {
        this.plan = plan;
        this.regions = regions;
        this.docs = docs;
    }

    public MemoryPlan plan() {
        return plan;
    }

    /** The region {@code <FIELD>_<suffix>} at {@code offset} (per sample), with its comment. */
    public void region(int offset, String name, String doc) {
        regions.put(offset, name);
        docs.put(name, doc);
    }

    /** {@code node}'s region in {@code map} (when it has one) as {@code <FIELD>_<suffix>}, holding {@code what}. */
    public void region(Map<Integer, Integer> map, Node node, String suffix, String what) {
        Integer offset = map.get(node.id());
        if (offset != null) {
            String name = Names.constant(node, suffix);
            region(offset, name, "Arena offset (per sample) of " + node.name() + "'s " + what + ".");
        }
    }

    /** A static final member (a geometry record, a cell variant). */
    public void constant(FieldSpec constant) {
        constants.add(constant);
    }

    /** An instance field. */
    public void field(FieldSpec field) {
        fields.add(field);
    }

    /** A statement the forward pass runs before the workers start, when training. */
    public void beforeTraining(CodeBlock code) {
        trainingSetup.add(code);
    }

    /**
     * {@code layer} (as the message names it) takes batch statistics of one value per channel from each row: a
     * training batch of one is refused. The first such layer is the one named.
     */
    public void needsTwoRows(String layer) {
        if (batchOfOne == null) {
            batchOfOne = layer;
        }
    }

    List<FieldSpec> constants() {
        return constants;
    }

    List<FieldSpec> fields() {
        return fields;
    }

    CodeBlock trainingSetup() {
        return trainingSetup.build();
    }

    String needsTwoRows() {
        return batchOfOne;
    }
}
