/**
 * The run time of a generated network on the CPU: {@link dev.lamina.runtime.Model} (what every generated class
 * implements: passes, predictions, parameters), its {@link dev.lamina.runtime.Layer}s and named
 * {@link dev.lamina.runtime.Tensor}s, {@link dev.lamina.runtime.Chain} for models in sequence, and the
 * {@link dev.lamina.runtime.Workers} team they compute with. {@link dev.lamina.runtime.NetworkState},
 * {@link dev.lamina.runtime.Blas} and {@link dev.lamina.runtime.Worker} are public only because the generated code
 * in the user's module calls them; each says so in its first sentence and is not API.
 */
package dev.lamina.runtime;
