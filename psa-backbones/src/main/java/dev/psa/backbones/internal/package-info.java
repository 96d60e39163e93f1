/**
 * Not API: the SameDiff layer builder shared by the built-in backbones.
 */
package dev.psa.backbones.internal;
