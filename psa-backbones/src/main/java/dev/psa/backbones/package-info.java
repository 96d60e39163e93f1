/**
 * Backbones for PSA (REFERENCE.md §Backbones): lookup by name ({@link dev.psa.backbones.Backbones}) and parameter counts ({@link dev.psa.backbones.BackboneStats}); each backbone lives in its own sub-package and is registered as a {@code BackboneProvider}.
 */
package dev.psa.backbones;
