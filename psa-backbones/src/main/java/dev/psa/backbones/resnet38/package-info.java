/**
 * The {@code resnet38} backbone: wider ResNet-38 (A1) at output stride 8 with the authors' checkpoint names.
 */
package dev.psa.backbones.resnet38;
