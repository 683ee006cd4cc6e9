package dev.sluice.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;

/**
 * ⑦ Counts by cause word, with a bounded set of words. The words known up front are always there
 * (0 until counted, so a rate over them works from the start); up to {@code maxLearned} others are
 * taken as they first come; anything past them, and anything that is not a lowercase word, counts as
 * {@value #OTHER}. Counting a known word is one map read and one {@link LongAdder} add; counting
 * the word counted last (nearly always {@code ok}, the same string each time) skips the map.
 */
final class WordCounts {

    static final String OTHER = "other";
    private static final int MAX_WORD = 64;

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final int maxWords;
    private final LongAdder other = new LongAdder();
    /** The word counted last and its count: read and replaced whole, so any thread may use it. */
    private volatile Last last = new Last("", other);

    private record Last(String word, LongAdder count) {}

    WordCounts(List<String> known, int maxLearned) {
        known.forEach(word -> counts.put(word, new LongAdder()));
        this.maxWords = known.size() + maxLearned;
    }

    void count(String word) {
        Last l = last;
        if (l.word() == word) { // the same string object: words come from constants
            l.count().increment();
            return;
        }
        LongAdder count = counts.get(word);
        if (count == null) {
            count = learn(word);
        }
        count.increment();
        last = new Last(word, count);
    }

    /** Every word with its count, {@value #OTHER} last. */
    void forEach(ObjLongConsumer<String> action) {
        counts.forEach((word, count) -> action.accept(word, count.sum()));
        action.accept(OTHER, other.sum());
    }

    private synchronized LongAdder learn(String word) {
        LongAdder count = counts.get(word);
        if (count != null) {
            return count;
        }
        if (counts.size() >= maxWords || !isWord(word)) {
            return other;
        }
        count = new LongAdder();
        counts.put(word, count);
        return count;
    }

    private static boolean isWord(String s) {
        if (s.isEmpty() || s.length() > MAX_WORD || s.equals(OTHER)) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
