package dev.lamina.spark;

import dev.lamina.runtime.Model;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Builds the network on the driver and on each executor: generated networks are not serializable, so Spark ships
 * this recipe (a serializable lambda such as {@code () -> LeNet5Net.create(0)}, or {@link #generated}) and the
 * parameters as float arrays. The executors' copies take the driver's parameters before every step, so only the
 * driver's initialisation matters.
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    /** {@return a new network (on an executor: one per concurrent task, kept for the whole training)} */
    Model create();

    /**
     * {@return a factory calling the generated class's {@code create(long seed)}}
     *
     * @param className the generated class's binary name, for example {@code dev.lamina.spark.sample.LeNet5Net}
     * @param seed the initialisation seed
     */
    static ModelFactory generated(String className, long seed) {
        return () -> {
            try {
                Method create = Class.forName(className).getMethod("create", long.class);
                return (Model) create.invoke(null, seed);
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                throw new IllegalArgumentException("expected a generated network class with a static create(long), "
                        + "found none for '" + className + "': " + e, e);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("could not create " + className + ": " + e, e);
            }
        };
    }
}
