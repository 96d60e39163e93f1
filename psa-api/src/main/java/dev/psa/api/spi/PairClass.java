package dev.psa.api.spi;

/**
 * Codes of the affinity pair classes (REFERENCE.md §Stage 3), as stored in a pair-class array
 * {@code [N, O, h, w]}.
 */
public final class PairClass {
    /** A pair touching an ignored (255) cell or the map's border padding. */
    public static final int IGNORE = 0;
    /** Both cells background. */
    public static final int BG_POSITIVE = 1;
    /** Both cells the same foreground class. */
    public static final int FG_POSITIVE = 2;
    /** The cells have different classes. */
    public static final int NEGATIVE = 3;

    private PairClass() {
    }
}
