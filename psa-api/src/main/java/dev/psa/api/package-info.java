/**
 * The contract between psa's stages and its plugins: extension points ({@link dev.psa.api.spi}),
 * the values passed between stages, the scoped config view ({@link dev.psa.api.config}) and errors.
 *
 * <h2>Tensor conventions</h2>
 * All tensors are NCHW, float32 unless stated. The letters are used in every shape comment:
 * <ul>
 *   <li>{@code N} batch size; {@code C} channels; {@code H, W} image height and width in pixels;</li>
 *   <li>{@code K} number of classes including background (21 on PASCAL VOC: 0 = background,
 *       1..20 = aeroplane..tvmonitor); label value {@code 255} means "ignore";</li>
 *   <li>{@code h, w} the stride-8 grid: {@code h = ceil(H / 8)}, {@code w = ceil(W / 8)};</li>
 *   <li>{@code O} the number of neighbour offsets of an affinity stencil (34 for radius 5);
 *       {@code P} a number of pairs.</li>
 * </ul>
 * Images enter the networks as {@code [N, 3, H, W]} after the backbone's {@link
 * dev.psa.api.InputNormalization}; raw images are {@code [3, H, W]} RGB in [0, 255].
 */
package dev.psa.api;
