package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stage of residual blocks on an image: {@code repeat} blocks of kind {@code block}, the first with
 * {@code stride}, each computing {@code act(F(x) + shortcut(x))}. The shortcut is the identity when the block keeps
 * the shape, and otherwise a 1x1 convolution with the block's stride followed by batch norm (a projection), unless
 * {@code projection = false} forbids it: then a shape change is a compile error. The add is fused into the
 * activation after it. Convolutions have no bias (batch norm follows each) and {@link #init} initialisation.
 *
 * <p>Parameters are named after the field, as torchvision names them: {@code layer1.0.conv1.weight},
 * {@code layer1.0.bn1.weight}, {@code layer1.0.shortcut.conv.weight}; with {@code repeat = 1} the block index is
 * left out ({@code layer1.conv1.weight}).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Residual {
    /** In a {@link Block}'s layers, a size that takes the stage's value (its filters, or its stride). */
    int STAGE = -1;

    /** {@return width of the block: its output channels ({@code 4 filters} for {@link ResidualBlock#BOTTLENECK})} */
    int filters();

    /**
     * Stride of the first block (its 3x3 convolution and its projection); the others have stride 1.
     *
     * @return the first block's stride; positive
     */
    int stride() default 1;

    /** {@return number of blocks in the stage} */
    int repeat() default 1;

    /**
     * {@return the built-in block each of the {@code repeat} blocks is (ignored when {@link #custom()} names a class)}
     */
    ResidualBlock block() default ResidualBlock.BASIC;

    /** {@return a {@link Block} class to use as the block instead of a built-in one ({@code Void}: none)} */
    Class<?> custom() default Void.class;

    /** {@return whether the shortcut may be a 1x1 convolution + batch norm where the block changes the shape} */
    boolean projection() default true;

    /** {@return the activation inside the block and after the add} */
    Activation activation() default Activation.RELU;

    /**
     * {@return how the built-in blocks' convolutions are initialised ({@link Init#DEFAULT}: He, as for any ReLU layer)}
     */
    Init init() default Init.DEFAULT;
}
