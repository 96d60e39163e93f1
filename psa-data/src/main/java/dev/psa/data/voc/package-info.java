/**
 * PASCAL VOC 2012 (and SBD train_aug) in its standard folder layout, and a writer of that layout.
 */
package dev.psa.data.voc;
