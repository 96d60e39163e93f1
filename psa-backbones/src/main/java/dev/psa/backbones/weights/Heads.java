package dev.psa.backbones.weights;

/**
 * Which heads a weight file is read with, besides the backbone (REFERENCE.md §Backbones names
 * them: the classifier's {@code fc8}; AffinityNet's {@code f8_3}, {@code f8_4}, {@code f8_5},
 * {@code f9}, and on VGG16-style backbones the GroupNorms {@code gn8_3..5}).
 */
public enum Heads {
    /** The backbone alone: head keys in the file are left out. */
    NONE,
    /** A trained classifier: backbone + {@code fc8.weight}; AffinityNet head keys are an error. */
    CLASSIFIER,
    /**
     * A trained AffinityNet: backbone + {@code f8_3/4/5.weight}, {@code f9.weight} and, when the
     * backbone's AffinityNet has GroupNorms ({@code groupNormInAffinityHead}), {@code gn8_3/4/5.weight/.bias};
     * {@code fc8} is an error.
     */
    AFFINITY,
    /** Whatever heads the file has, each complete and checked ({@code psa weights import --with-heads}). */
    ANY
}
