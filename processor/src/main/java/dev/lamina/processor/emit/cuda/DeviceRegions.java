package dev.lamina.processor.emit.cuda;

import dev.lamina.processor.graph.Node;
import dev.lamina.processor.plan.MemoryPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The device's memory beyond the plan's: arena regions of the device's own after the plan's (a layer's own, laid
 * out in layer order, then the shared ones sized for the widest layer that uses them), max-pool winners the CPU
 * does not keep, and the fixed work area of floats and doubles. Each layer asks for what it needs (its kind's
 * {@link CudaLowering#reserve}); its steps find the regions again by name.
 */
public final class DeviceRegions {
    /** A region the layers share, one at a time: sized for the widest, laid out after every layer's own. */
    public enum Shared {
        /** where a layer norm's backward writes an input gradient nothing reads */
        SCRATCH,
        /** a grouped convolution's group: its input channels, its output, its input gradient */
        GROUP,
        /** the unfolded columns of a convolution */
        COLUMNS,
        /** the gradient of a fused pool's unpooled values */
        UNPOOLED_GRADIENT
    }

    /** A stateful layer's state carried between batches: {@code perRow} floats a row from arena {@code region}. */
    public record Carried(int region, int perRow) {
    }

    private final MemoryPlan plan;
    private int arena;
    private int indices;
    private int work;
    private int doubles;
    private final Map<Integer, Map<String, Integer>> own = new HashMap<>();
    private final Map<Integer, Map<String, Integer>> ownWork = new HashMap<>();
    private final Map<Integer, Integer> ownWinners = new HashMap<>();
    private final int[] widest = new int[Shared.values().length];
    private final int[] shared = new int[Shared.values().length];
    private final List<Carried> carried = new ArrayList<>();

    DeviceRegions(MemoryPlan plan) {
        this.plan = plan;
        this.arena = plan.arenaPerSample();
        this.indices = plan.indicesPerSample();
    }

    /** An arena region of {@code floats} per sample for {@code node} alone, named {@code name}; its offset. */
    public int own(Node node, String name, int floats) {
        int at = arena;
        arena += floats;
        own.computeIfAbsent(node.id(), k -> new HashMap<>()).put(name, at);
        return at;
    }

    /** {@link #own} for the state a stateful layer carries to the next batch, which the host also knows of. */
    public int carried(Node node, String name, int perRow) {
        int at = own(node, name, perRow);
        carried.add(new Carried(at, perRow));
        return at;
    }

    /** {@code floats} of the shared region {@code which}, per sample. */
    public void share(Shared which, int floats) {
        widest[which.ordinal()] = Math.max(widest[which.ordinal()], floats);
    }

    /** {@code floats} of the fixed work area for {@code node}, named {@code name}. */
    public int work(Node node, String name, int floats) {
        int at = work;
        work += floats;
        ownWork.computeIfAbsent(node.id(), k -> new HashMap<>()).put(name, at);
        return at;
    }

    /** {@code count} doubles of the fixed work area for {@code node}, named {@code name}. */
    public int doubles(Node node, String name, int count) {
        int at = doubles;
        doubles += count;
        ownWork.computeIfAbsent(node.id(), k -> new HashMap<>()).put(name, at);
        return at;
    }

    /** Lays out the shared regions after every layer's own. */
    void finish() {
        for (Shared which : Shared.values()) {
            int floats = widest[which.ordinal()];
            shared[which.ordinal()] = floats == 0 ? -1 : arena;
            arena += floats;
        }
    }

    /** A layer's own arena region, per sample. */
    int own(Node node, String name) {
        return lookUp(own, node, name);
    }

    /** A layer's own part of the work area (floats or doubles), from its start. */
    int work(Node node, String name) {
        return lookUp(ownWork, node, name);
    }

    private static int lookUp(Map<Integer, Map<String, Integer>> regions, Node node, String name) {
        Integer at = regions.getOrDefault(node.id(), Map.of()).get(name);
        if (at == null) {
            throw new IllegalStateException(node.name() + " reserved no region '" + name + "'");
        }
        return at;
    }

    /** A shared region, per sample. */
    int shared(Shared which) {
        return shared[which.ordinal()];
    }

    /** A max pool's winners, in ints per sample: the plan's region when the CPU keeps them, else the device's own. */
    int winners(Node node) {
        Integer region = plan.argmax().get(node.id());
        if (region != null) {
            return region;
        }
        return ownWinners.computeIfAbsent(node.id(), id -> {
            int at = indices;
            indices += node.out().size();
            return at;
        });
    }

    int arena() {
        return arena;
    }

    int indices() {
        return indices;
    }

    int work() {
        return work;
    }

    int doubles() {
        return doubles;
    }

    List<Carried> carriedStates() {
        return carried;
    }
}
