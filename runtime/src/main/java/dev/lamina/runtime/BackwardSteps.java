package dev.lamina.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The training backward pass's steps, each with the trainable tensors whose gradients it computes, and how many
 * of them a pass needs while some tensors are frozen. Steps run from the output back; once every step left
 * computes only frozen tensors' gradients (or none), what is left feeds nothing trainable: a frozen feature
 * extractor at the start of a network costs no backward work. A step that computes no tensor's gradient but
 * lies before a trainable one still runs: that one needs the gradient it passes on.
 */
final class BackwardSteps {
    private final List<List<String>> steps = new ArrayList<>();
    /** Steps a training pass runs: all, unless frozen tensors end the pass early. */
    private int needed;

    void add(String... tensors) {
        steps.add(List.of(tensors));
        needed = steps.size();
    }

    /** Frozen tensors by name: the pass ends after the last step that computes a trainable tensor's gradient. */
    void freeze(Set<String> frozen) {
        int last = -1;
        for (int k = 0; k < steps.size(); k++) {
            if (steps.get(k).stream().anyMatch(t -> !frozen.contains(t))) {
                last = k;
            }
        }
        needed = frozen.isEmpty() ? steps.size() : Math.max(1, last + 1);
    }

    int needed() {
        return needed;
    }
}
