package dev.lamina.runtime.analysis.hessian;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Internal, not API: the map between the flat vectors of this package (tensors one after another in {@link
 * Model#parameterTensors()} order) and the model's parameter and gradient arrays, which the tensors view at
 * their own offsets.
 */
final class FlatParameters {
    private final Model model;
    /** {@code position[k]}: where flat value {@code k} lives in the model's parameter (and gradient) array. */
    private final int[] position;

    FlatParameters(Model model) {
        this.model = model;
        List<Tensor> tensors = model.parameterTensors();
        int size = tensors.stream().mapToInt(Tensor::length).sum();
        position = new int[size];
        int k = 0;
        for (Tensor t : tensors) {
            for (int i = 0; i < t.length(); i++) {
                position[k++] = t.offset() + i;
            }
        }
        if (size == 0) {
            throw new IllegalArgumentException("expected a network with trainable parameters, found none in "
                    + model.name());
        }
    }

    int size() {
        return position.length;
    }

    /** {@return where flat value {@code k} lives in the model's parameter (and gradient) array} */
    int position(int k) {
        return position[k];
    }

    /** {@return the gradient the last backward pass left, flattened, in double} */
    double[] gradient() {
        FloatBuffer g = model.gradients().floats();
        double[] out = new double[position.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = g.get(position[k]);
        }
        return out;
    }

    /** {@return the parameters, flattened, in double} */
    double[] parameters() {
        FloatBuffer p = model.parameters().floats();
        double[] out = new double[position.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = p.get(position[k]);
        }
        return out;
    }

    /** Sets every parameter to {@code fl(base + s v)}, in flat order. */
    void setShifted(float[] base, double s, double[] v) {
        FloatBuffer p = model.parameters().floats();
        for (int k = 0; k < position.length; k++) {
            p.put(position[k], (float) (base[position[k]] + s * v[k]));
        }
        model.parametersChanged();
    }

    /** The flat index of value {@code i} of {@code tensor}. */
    int indexOf(Tensor tensor, int i) {
        int k = 0;
        for (Tensor t : model.parameterTensors()) {
            if (t.name().equals(tensor.name())) {
                return k + i;
            }
            k += t.length();
        }
        throw new IllegalArgumentException("expected a tensor of " + model.name() + ", found " + tensor.name());
    }
}
