/**
 * Looking into a trained model: gradient checks, Jacobians and saliency maps, adversarial examples (FGSM),
 * activation maximisation, style transfer, a layer's features, and PCA and t-SNE to embed them.
 */
package dev.lamina.runtime.analysis;
