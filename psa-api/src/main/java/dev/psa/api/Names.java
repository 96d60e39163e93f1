package dev.psa.api;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/** Component names ({@code [a-z][a-z0-9_-]*}) and "did you mean" suggestions. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    private Names() {
    }

    /** @return whether {@code name} is a valid component name */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** @return the closest candidate within edit distance max(2, len/3), if any */
    public static Optional<String> closest(String asked, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(asked.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = Math.max(2, asked.length() / 3);
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** " Did you mean 'x'?" or empty. */
    public static String didYouMean(String asked, Collection<String> candidates) {
        return closest(asked, candidates).map(c -> " Did you mean '" + c + "'?").orElse("");
    }

    /** Levenshtein distance with adjacent transpositions (optimal string alignment). */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
