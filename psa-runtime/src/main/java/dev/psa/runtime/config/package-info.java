/**
 * Loading the configuration (built-in defaults, preset, user file, {@code --set}) with Commons Configuration, and the typed, validated sections built from it.
 */
package dev.psa.runtime.config;
