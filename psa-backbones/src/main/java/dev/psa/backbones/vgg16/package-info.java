/**
 * The {@code vgg16} backbone: VGG16-d (DeepLab-LargeFOV) at output stride 8.
 */
package dev.psa.backbones.vgg16;
