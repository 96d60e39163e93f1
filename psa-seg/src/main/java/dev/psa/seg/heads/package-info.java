/**
 * The built-in segmentation heads ({@code largefov}, {@code aspp}), found by name through
 * {@link dev.psa.api.spi.SegHeadProvider} like every other component.
 */
package dev.psa.seg.heads;
