/**
 * {@code psa sweep}: the cartesian product of config grids, each variant a normal run folder, with every
 * stage whose fingerprint was already computed in the sweep shared (hard links) instead of recomputed.
 */
package dev.psa.runtime.sweep;
