package dev.sluice.accesslog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ⑦ The records the writer took from the queue at once, each formatted once as a line ending in
 * {@code '\n'}: a file takes the whole text in one write, a syslog sink each line as a message.
 */
final class Batch {

    private final AccessLogFormat format;
    private final List<AccessRecord> records = new ArrayList<>();
    private final LineBuffer text = new LineBuffer(1 << 16);
    /** Where each line ends, after its {@code '\n'}. */
    private int[] ends = new int[256];

    Batch(AccessLogFormat format) {
        this.format = format;
    }

    /** Formats {@code record} as the next line; when formatting fails, the batch is as it was. */
    void add(AccessRecord record) {
        int mark = text.length();
        try {
            format.append(record, text);
        } catch (RuntimeException e) {
            text.truncate(mark);
            throw e;
        }
        text.put('\n');
        if (records.size() == ends.length) {
            ends = Arrays.copyOf(ends, ends.length * 2);
        }
        ends[records.size()] = text.length();
        records.add(record);
    }

    int size() {
        return records.size();
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    AccessRecord record(int i) {
        return records.get(i);
    }

    /** Every line, each with its {@code '\n'}. */
    LineBuffer text() {
        return text;
    }

    /** Where line {@code i} starts in {@link #text()}. */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** Where line {@code i} ends in {@link #text()}, before its {@code '\n'}. */
    int end(int i) {
        return ends[i] - 1;
    }

    void clear() {
        records.clear();
        text.clear();
    }
}
