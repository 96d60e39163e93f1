/**
 * An example third-party backbone plugin: {@link dev.psa.examples.resnet50s.ResNet50sBackbone}
 * ({@code resnet50s}), built against psa-api only and found through
 * {@code META-INF/services/dev.psa.api.spi.BackboneProvider}.
 */
package dev.psa.examples.resnet50s;
