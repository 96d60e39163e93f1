/**
 * The built-in synthetic {@code shapes} dataset, generated deterministically from a seed (SYNTHETIC.md).
 */
package dev.psa.data.shapes;
