/**
 * Array files shared by stages and with Python: numpy {@code .npy} / {@code .npz} ({@link
 * dev.psa.api.io.Npy}), and atomic file writes ({@link dev.psa.api.io.AtomicFiles}) so a killed
 * run never leaves a half-written file.
 */
package dev.psa.api.io;
