package dev.lamina.processor.emit.java;

import com.palantir.javapoet.ClassName;

/** The runtime classes the generated code calls (the processor does not depend on the runtime). */
public final class RuntimeTypes {
    private RuntimeTypes() {
    }

    private static final String RUNTIME = "dev.lamina.runtime";
    private static final String KERNELS = "dev.lamina.runtime.kernels";

    public static final ClassName BLAS = ClassName.get(RUNTIME, "Blas");
    public static final ClassName RNG = ClassName.get(RUNTIME, "Rng");
    public static final ClassName WORKER = ClassName.get(RUNTIME, "Worker");
    public static final ClassName CONVOLUTION = ClassName.get(KERNELS, "Convolution");
    public static final ClassName CONVOLUTION_1D = ClassName.get(KERNELS, "Convolution1d");
    public static final ClassName CONV1D_GEOMETRY = ClassName.get(KERNELS, "Convolution1d", "Geometry");
    public static final ClassName CONV_GEOMETRY = ClassName.get(KERNELS, "ConvGeometry");
    public static final ClassName POOLING = ClassName.get(KERNELS, "Pooling");
    public static final ClassName POOL_GEOMETRY = ClassName.get(KERNELS, "PoolGeometry");
    public static final ClassName BATCH_NORM_GEOMETRY = ClassName.get(KERNELS, "BatchNormGeometry");
    public static final ClassName UPSAMPLE_GEOMETRY = ClassName.get(KERNELS, "UpsampleGeometry");
    public static final ClassName RESPONSE_NORM_GEOMETRY = ClassName.get(KERNELS, "ResponseNormGeometry");
    public static final ClassName CONCATENATION = ClassName.get(KERNELS, "Concatenation");
    public static final ClassName EMBEDDINGS = ClassName.get(KERNELS, "Embeddings");
    public static final ClassName RESPONSE_NORMALIZATION = ClassName.get(KERNELS, "ResponseNormalization");
    public static final ClassName UPSAMPLING = ClassName.get(KERNELS, "Upsampling");
    public static final ClassName LAYER_NORMALIZATION = ClassName.get(KERNELS, "LayerNormalization");
    public static final ClassName MAX_POOL_2X2 = ClassName.get(KERNELS, "MaxPool2x2");
    public static final ClassName NORMALIZATION = ClassName.get(KERNELS, "Normalization");
    public static final ClassName REDUCTIONS = ClassName.get(KERNELS, "Reductions");
    public static final ClassName LSTM = ClassName.get(KERNELS, "Lstm");
    public static final ClassName LSTM_CELL = ClassName.get(KERNELS, "Lstm", "Cell");
    public static final ClassName GRU = ClassName.get(KERNELS, "Gru");
    public static final ClassName ELMAN_RNN = ClassName.get(KERNELS, "ElmanRnn");
    public static final ClassName RECURRENT_STATE = ClassName.get(KERNELS, "RecurrentState");
    public static final ClassName RECURRENT_GEOMETRY = ClassName.get(KERNELS, "RecurrentGeometry");
    public static final ClassName SQUASH = ClassName.get(KERNELS, "Squash");
}
