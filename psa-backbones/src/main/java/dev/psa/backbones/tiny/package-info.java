/**
 * The {@code tiny} demo/test backbone: a stride-8 CNN with a 24 px receptive field that trains on CPU in minutes.
 */
package dev.psa.backbones.tiny;
