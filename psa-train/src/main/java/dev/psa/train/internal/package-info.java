/**
 * Checkpoint storage, the SGD update and the console progress bar of the trainer; not API.
 */
package dev.psa.train.internal;
