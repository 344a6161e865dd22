package dev.lamina.processor.emit.java;

import dev.lamina.processor.graph.Node;
import dev.lamina.processor.plan.Schedule;
import java.util.Locale;

/** The names of the generated constants: derived from the user's field names, so the code reads like the class. */
public final class Names {
    private final Schedule schedule;

    Names(Schedule schedule) {
        this.schedule = schedule;
    }

    /** {@code convOne -> CONV_ONE}. */
    public static String constant(String fieldName) {
        return fieldName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code layer1.0.bn1 -> layer10Bn1}: a Java identifier for a node's own fields. */
    public static String field(Node node) {
        return identifier(node.name());
    }

    /** {@code layer1.0.bn1 -> layer10Bn1}: a layer name as a Java identifier (dots dropped, the next letter upper). */
    public static String identifier(String name) {
        StringBuilder identifier = new StringBuilder();
        boolean upper = false;
        for (char ch : name.toCharArray()) {
            if (ch == '.') {
                upper = true;
            } else {
                identifier.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return identifier.toString();
    }

    public static String constant(Node node, String suffix) {
        return node.id() == 0 ? suffix : constant(node.name()) + "_" + suffix;
    }

    /** The region constant holding {@code node}'s output, looking through views (flattens, reshapes). */
    String out(int nodeId) {
        return region(schedule.source(nodeId));
    }

    /** The region constant of node {@code source}'s own output ({@code source} is no view: a step's source). */
    String region(int source) {
        return source == 0 ? "INPUT" : constant(schedule.graph().node(source), "OUT");
    }

    /** The index-arena constant of a max pool's winners, named after the pool's field even when it was fused. */
    public static String argmax(Node node) {
        return node.hasFusedPool() ? constant(node.pool().name()) + "_ARGMAX" : constant(node, "ARGMAX");
    }

    /** A batch norm's per-channel array {@code part}: Mean, InvStd, Scale or Shift. */
    public static String normField(Node node, String part) {
        return field(node) + part;
    }

    /** {@code DELTA_A}, {@code DELTA_B}, ...: gradient slot {@code index}. */
    public static String slot(int index) {
        return index < 26 ? "DELTA_" + (char) ('A' + index) : "DELTA_" + index;
    }
}
