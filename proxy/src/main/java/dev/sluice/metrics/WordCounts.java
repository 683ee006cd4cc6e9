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
 * {@value #OTHER}. Counting a known word is one map read and one {@link LongAdder} add.
 */
final class WordCounts {

    static final String OTHER = "other";
    private static final int MAX_WORD = 64;

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final int maxWords;
    private final LongAdder other = new LongAdder();

    WordCounts(List<String> known, int maxLearned) {
        known.forEach(word -> counts.put(word, new LongAdder()));
        this.maxWords = known.size() + maxLearned;
    }

    void count(String word) {
        LongAdder count = counts.get(word);
        (count != null ? count : learn(word)).increment();
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
