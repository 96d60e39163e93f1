package dev.psa.crf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatticeHashTableTest {
    @Test
    void numbersKeysInInsertionOrderAndGrows() {
        int d = 4;
        LatticeHashTable table = new LatticeHashTable(d, 4);
        Map<List<Integer>, Integer> reference = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(1);
        int[] key = new int[d];
        for (int t = 0; t < 20_000; t++) {
            for (int k = 0; k < d; k++) {
                key[k] = rnd.nextInt(-12, 12);
            }
            List<Integer> boxed = List.of(key[0], key[1], key[2], key[3]);
            Integer expected = reference.computeIfAbsent(boxed, b -> reference.size());
            assertThat(table.findOrInsert(key, 0)).isEqualTo(expected);
        }
        assertThat(table.size()).isEqualTo(reference.size()).isGreaterThan(10_000);
        reference.forEach((k, v) -> {
            int[] kk = {k.get(0), k.get(1), k.get(2), k.get(3)};
            assertThat(table.find(kk, 0)).isEqualTo(v);
            for (int i = 0; i < d; i++) {
                assertThat(table.keys()[v * d + i]).isEqualTo(kk[i]);
            }
        });
        assertThat(table.find(new int[] {100, 0, 0, 0}, 0)).isEqualTo(-1);
    }

    @Test
    void readsKeysAtAnOffset() {
        LatticeHashTable table = new LatticeHashTable(2, 16);
        int[] keys = {9, 9, 1, 2, 3, 4};
        assertThat(table.findOrInsert(keys, 2)).isZero();
        assertThat(table.findOrInsert(keys, 4)).isOne();
        assertThat(table.find(new int[] {1, 2}, 0)).isZero();
        assertThat(table.find(keys, 0)).isEqualTo(-1);
    }
}
