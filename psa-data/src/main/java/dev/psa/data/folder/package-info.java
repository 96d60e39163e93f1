/**
 * A dataset read from a plain folder of images with image-level labels and optional masks.
 */
package dev.psa.data.folder;
