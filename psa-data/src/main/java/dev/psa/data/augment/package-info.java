/**
 * Training-time augmentation (random scale, crop, flip, colour jitter) applied to images and their label maps together, batching and prefetching.
 */
package dev.psa.data.augment;
