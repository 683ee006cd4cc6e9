package dev.sluice.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the name a user probably meant, for "did you mean …?" hints: config keys, curl options. */
public final class EditDistance {

    /** Typos further than this from every known name get no suggestion: it would be a guess. */
    private static final int MAX_SUGGESTION_DISTANCE = 2;

    private EditDistance() {}

    /** The choice closest to {@code word}, ignoring case, if one is within {@link #MAX_SUGGESTION_DISTANCE}. */
    public static Optional<String> closest(String word, Collection<String> choices) {
        String typed = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
        for (String choice : choices) {
            int d = between(typed, choice.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = choice;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}: the
     * optimal string alignment distance, so that "lsiten" is one edit from "listen", not two.
     */
    static int between(String a, String b) {
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
