/**
 * Checkpoints: a model's tensors saved and loaded as safetensors under their field names, in PyTorch's layouts
 * ({@link dev.lamina.runtime.io.Checkpoint}), written atomically, with a report of what a partial load did.
 */
package dev.lamina.runtime.io;
