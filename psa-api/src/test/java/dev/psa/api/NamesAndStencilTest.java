package dev.psa.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamesAndStencilTest {
    @Test
    void suggestsCloseNamesOnly() {
        assertThat(Names.closest("spares", List.of("dense", "sparse"))).contains("sparse");
        assertThat(Names.closest("zzzzzz", List.of("dense", "sparse"))).isEmpty();
        assertThat(Names.isValid("resnet38")).isTrue();
        assertThat(Names.isValid("ResNet")).isFalse();
    }

    @Test
    void radiusFiveStencilHas34UniqueHalfPlaneOffsets() {
        AffinityStencil s = AffinityStencil.of(5);
        assertThat(s.size()).isEqualTo(34);
        Set<String> seen = new HashSet<>();
        for (int o = 0; o < s.size(); o++) {
            int dy = s.dy(o);
            int dx = s.dx(o);
            assertThat(dy * dy + dx * dx).isBetween(1, 24);
            // one of each ± pair: the offset is in the "forward" half plane
            assertThat(dy > 0 || (dy == 0 && dx > 0)).isTrue();
            assertThat(seen.add(dy + "," + dx)).isTrue();
            assertThat(seen).doesNotContain((-dy) + "," + (-dx));
        }
        // every offset with 0 < |d| < 5 is covered, up to sign: 68 lattice points in the open disc minus origin
        int all = 0;
        for (int y = -4; y <= 4; y++) {
            for (int x = -4; x <= 4; x++) {
                if (x * x + y * y < 25 && (x != 0 || y != 0)) {
                    all++;
                }
            }
        }
        assertThat(2 * s.size()).isEqualTo(all);
    }
}
