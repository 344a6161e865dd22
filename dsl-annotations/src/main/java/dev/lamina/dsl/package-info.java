/**
 * The Lamina DSL: a network is an abstract class annotated {@link dev.lamina.dsl.Network} whose layer fields carry
 * {@link dev.lamina.dsl.Dense}, {@link dev.lamina.dsl.Conv}, {@link dev.lamina.dsl.Pool},
 * {@link dev.lamina.dsl.BatchNorm}, {@link dev.lamina.dsl.Dropout} or {@link dev.lamina.dsl.Flatten}.
 */
package dev.lamina.dsl;
