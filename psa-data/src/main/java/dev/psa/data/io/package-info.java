/**
 * Reading and writing images, VOC-palette label PNGs and per-image CAM files.
 */
package dev.psa.data.io;
