package dev.psa.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The neighbour offsets of the affinity pairs within radius γ (REFERENCE.md §Stage 3): each
 * unordered pair {i, j} with 0 &lt; ‖i − j‖ &lt; γ appears exactly once, as (i, i + offset).
 * Layout as in the reference code: (dy = 0, dx = 1..γ−1), then for dy = 1..γ−1 every
 * dx = −(γ−1)..(γ−1) with dx² + dy² &lt; γ². γ = 5 gives 34 offsets.
 *
 * @param radius γ
 * @param dy     O row offsets
 * @param dx     O column offsets
 */
public record AffinityStencil(int radius, int[] dy, int[] dx) {
    public AffinityStencil {
        if (dy.length != dx.length) {
            throw new IllegalArgumentException("dy and dx differ in length");
        }
        dy = dy.clone();
        dx = dx.clone();
    }

    /** The reference stencil for radius γ ≥ 1. */
    public static AffinityStencil of(int radius) {
        if (radius < 1) {
            throw new IllegalArgumentException("affinity radius must be >= 1, got " + radius);
        }
        List<int[]> offsets = new ArrayList<>();
        for (int x = 1; x < radius; x++) {
            offsets.add(new int[] {0, x});
        }
        for (int y = 1; y < radius; y++) {
            for (int x = -radius + 1; x < radius; x++) {
                if (x * x + y * y < radius * radius) {
                    offsets.add(new int[] {y, x});
                }
            }
        }
        int[] dy = new int[offsets.size()];
        int[] dx = new int[offsets.size()];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = offsets.get(i)[0];
            dx[i] = offsets.get(i)[1];
        }
        return new AffinityStencil(radius, dy, dx);
    }

    /** O, the number of offsets. */
    public int size() {
        return dy.length;
    }

    public int dy(int o) {
        return dy[o];
    }

    public int dx(int o) {
        return dx[o];
    }

    @Override
    public int[] dy() {
        return dy.clone();
    }

    @Override
    public int[] dx() {
        return dx.clone();
    }
}
