/**
 * Pictures as PNG: grids of images, a convolution's filters, a layer's feature maps, and scatter plots of
 * embeddings.
 */
package dev.lamina.runtime.pictures;
