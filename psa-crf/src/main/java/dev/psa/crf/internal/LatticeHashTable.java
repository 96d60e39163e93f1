package dev.psa.crf.internal;

import java.util.Arrays;

/**
 * Open-addressing hash table (linear probing) from lattice keys — {@code d} ints, the first
 * {@code d} coordinates of a point of the permutohedral lattice (the last one follows from the
 * zero sum) — to dense vertex indices {@code 0..size-1} in insertion order. Keys live in one flat
 * {@code int[]}, so a lookup allocates nothing. Inserting is single-threaded; once filled, lookups
 * ({@link #find}) are safe from any number of threads.
 */
final class LatticeHashTable {
    private static final int EMPTY = -1;

    private final int d;
    private int[] keys;      // size * d, insertion order
    private int[] hashes;    // size, to rehash without recomputing
    private int[] slots;     // capacity (power of two): vertex index or EMPTY
    private int mask;
    private int size;

    /** @param d key length; @param expected a guess of the number of keys (the table grows) */
    LatticeHashTable(int d, int expected) {
        this.d = d;
        int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
        slots = new int[capacity];
        Arrays.fill(slots, EMPTY);
        mask = capacity - 1;
        keys = new int[Math.max(16, expected) * d];
        hashes = new int[Math.max(16, expected)];
    }

    int size() {
        return size;
    }

    /** @return the key of vertex {@code index} starts at {@code keys()[index * d]} */
    int[] keys() {
        return keys;
    }

    /** @return the vertex index of {@code key[from .. from+d)}, inserting it if absent */
    int findOrInsert(int[] key, int from) {
        int h = hash(key, from);
        int s = h & mask;
        while (true) {
            int v = slots[s];
            if (v == EMPTY) {
                break;
            }
            if (hashes[v] == h && equal(v, key, from)) {
                return v;
            }
            s = (s + 1) & mask;
        }
        if (size == hashes.length) {
            int grown = hashes.length * 2;
            keys = Arrays.copyOf(keys, grown * d);
            hashes = Arrays.copyOf(hashes, grown);
        }
        int v = size++;
        System.arraycopy(key, from, keys, v * d, d);
        hashes[v] = h;
        slots[s] = v;
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return v;
    }

    /** @return the vertex index of {@code key[from .. from+d)}, or -1 when absent */
    int find(int[] key, int from) {
        int h = hash(key, from);
        int s = h & mask;
        while (true) {
            int v = slots[s];
            if (v == EMPTY) {
                return -1;
            }
            if (hashes[v] == h && equal(v, key, from)) {
                return v;
            }
            s = (s + 1) & mask;
        }
    }

    private boolean equal(int v, int[] key, int from) {
        int base = v * d;
        for (int k = 0; k < d; k++) {
            if (keys[base + k] != key[from + k]) {
                return false;
            }
        }
        return true;
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        Arrays.fill(slots, EMPTY);
        mask = capacity - 1;
        for (int v = 0; v < size; v++) {
            int s = hashes[v] & mask;
            while (slots[s] != EMPTY) {
                s = (s + 1) & mask;
            }
            slots[s] = v;
        }
    }

    private int hash(int[] key, int from) {
        int h = 0;
        for (int k = 0; k < d; k++) {
            h = (h + key[from + k]) * 0x9E3779B1;
        }
        return h ^ (h >>> 15);
    }
}
