/**
 * Timing of multi-scale CAM inference on one image, as the cams stage runs it.
 */
package dev.psa.bench.cam;
