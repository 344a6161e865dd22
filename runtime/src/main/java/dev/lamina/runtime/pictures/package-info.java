/**
 * Pictures as PNG: grids of images, a convolution's filters, a layer's feature maps; plots (scatter plots of
 * embeddings, training curves, confusion matrices) as PNG and as SVG ({@link dev.lamina.runtime.pictures.Svg}).
 */
package dev.lamina.runtime.pictures;
