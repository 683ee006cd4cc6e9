package dev.sluice.inspect;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a pasted command line into words the way bash would, and quotes words so that bash
 * gives them back. Understands single quotes, double quotes with their backslash escapes, ANSI-C
 * {@code $'…'} quoting ({@code \n}, {@code \xHH}, Unicode escapes…), backslashes and backslash-newline
 * continuations (browsers break "Copy as cURL" lines with {@code  \}). It runs nothing: a
 * variable, a command substitution, a pipe or a second command is an error that says so, rather
 * than a request sent with {@code $TOKEN} in it.
 *
 * <p>Words are built as bytes, as bash builds them, then read as UTF-8 with any other byte kept
 * ({@link LosslessUtf8}): {@code $'\xff'} is the byte 0xff. Unlike bash, a NUL ({@code \x00})
 * is kept instead of ending the word, so that any body can be written and read back.
 */
public final class ShellWords {

    // Words made only of these need no quotes; anything else is quoted.
    private static final String PLAIN = "_@%+=:,./-";

    private ShellWords() {}

    /** The words of {@code line}. */
    public static List<String> split(String line) throws CurlException {
        return new Splitter(line).words();
    }

    /** {@code words} quoted and joined with spaces: a line bash splits back into the same words. */
    public static String join(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(quote(w));
        }
        return b.toString();
    }

    /**
     * {@code word} as bash reads it back: as it is when it is plain, in single quotes when they
     * can hold it, else in {@code $'…'} with escapes for quotes, control and invisible characters
     * and bytes that are not UTF-8.
     */
    public static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || PLAIN.indexOf(c) >= 0))) {
            return word;
        }
        if (word.codePoints().noneMatch(cp -> cp == '\'' || needsEscape(cp))) {
            return "'" + word + "'";
        }
        StringBuilder b = new StringBuilder(word.length() + 8).append("$'");
        word.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (cp <= 0xFFFF && LosslessUtf8.isEscapedByte((char) cp)) {
                        b.append(String.format("\\x%02x", LosslessUtf8.escapedByte((char) cp)));
                    } else if (cp < 0x20 || cp == 0x7F) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                        b.append('?'); // stands for no byte: encoded as '?' too
                    } else if (needsEscape(cp)) {
                        b.append(cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        });
        return b.append('\'').toString();
    }

    /** Control characters, and invisible ones that could make a pasted line read other than it runs. */
    private static boolean needsEscape(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    /** One pass over a line. */
    private static final class Splitter {
        private final String s;
        private final List<String> words = new ArrayList<>();
        private ByteArrayOutputStream word; // null between words
        private int i;

        Splitter(String s) {
            this.s = s;
        }

        List<String> words() throws CurlException {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    endWord();
                    i++;
                } else if (c == '\\') {
                    backslash();
                } else if (c == '\'') {
                    int close = s.indexOf('\'', i + 1);
                    if (close < 0) {
                        throw unterminated("'", i);
                    }
                    append(s.substring(i + 1, close));
                    i = close + 1;
                } else if (c == '$' && next(1) == '\'') {
                    ansiC();
                } else if (c == '$' && next(1) == '"') {
                    i++; // $"…" is translated by the locale in bash; here it is "…"
                } else if (c == '"') {
                    doubleQuoted();
                } else if (c == '#' && word == null) {
                    int eol = s.indexOf('\n', i);
                    i = eol < 0 ? s.length() : eol;
                } else {
                    unquoted(c);
                }
            }
            endWord();
            return words;
        }

        private void backslash() {
            char n = next(1);
            if (n == '\n') {
                i += 2; // a continuation: the line goes on
            } else if (n == '\r' && next(2) == '\n') {
                i += 3;
            } else if (i + 1 >= s.length()) {
                i++; // a last backslash would wait for the next line; there is none
            } else {
                i++;
                appendCodePointAt();
            }
        }

        private void unquoted(char c) throws CurlException {
            if (c == '|' || c == ';' || c == '<' || c == '>' || c == '`') {
                throw CurlException.usage("unquoted " + c + " " + where(i) + ": sluice inspect reads one curl command and"
                        + " runs no shell (no pipes, redirections or second commands); quote it if it belongs to a value");
            }
            if (c == '&' && (next(1) == '&' || (word == null && isBlank(next(1))))) {
                throw CurlException.usage("unquoted & " + where(i) + ": sluice inspect reads one curl command and runs no"
                        + " shell; quote it if it belongs to a value, as in a URL's query");
            }
            if (c == '$') {
                variable();
            }
            appendCodePointAt();
        }

        /** {@code $NAME}, {@code ${…}}, {@code $(…)}: there is no shell to expand them. */
        private void variable() throws CurlException {
            char n = next(1);
            if (Character.isLetterOrDigit(n) || n == '_' || n == '{' || n == '(') {
                int end = i + 1;
                while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
                    end++;
                }
                String name = end > i + 1 ? s.substring(i, end) : s.substring(i, i + 2);
                throw CurlException.usage(name + " " + where(i) + " is expanded by a shell, and sluice inspect runs"
                        + " none: write the value itself, or run the command in a shell");
            }
        }

        private void doubleQuoted() throws CurlException {
            int start = i;
            i++;
            startWord();
            while (!closes('"', "\"", start)) {
                char c = s.charAt(i);
                if (c == '\\' && "$`\"\\\n".indexOf(next(1)) >= 0 && i + 1 < s.length()) {
                    if (next(1) != '\n') {
                        word.write(next(1));
                    }
                    i += 2;
                } else if (c == '`') {
                    throw CurlException.usage("` " + where(i) + " starts a command substitution, and sluice inspect runs"
                            + " no shell: write the value itself");
                } else {
                    if (c == '$') {
                        variable();
                    }
                    appendCodePointAt();
                }
            }
        }

        /** {@code $'…'}: bash's ANSI-C quoting. */
        private void ansiC() throws CurlException {
            int start = i;
            i += 2;
            startWord();
            while (!closes('\'', "$'", start)) {
                char c = s.charAt(i);
                if (c != '\\' || i + 1 >= s.length()) {
                    appendCodePointAt();
                    continue;
                }
                char e = s.charAt(i + 1);
                i += 2;
                switch (e) {
                    case 'a' -> word.write(0x07);
                    case 'b' -> word.write(0x08);
                    case 'e', 'E' -> word.write(0x1B);
                    case 'f' -> word.write(0x0C);
                    case 'n' -> word.write('\n');
                    case 'r' -> word.write('\r');
                    case 't' -> word.write('\t');
                    case 'v' -> word.write(0x0B);
                    case '\\', '\'', '"', '?' -> word.write(e);
                    case 'x' -> escapedNumber(16, 2, false, "\\x");
                    case 'u' -> escapedNumber(16, 4, true, "\\u");
                    case 'U' -> escapedNumber(16, 8, true, "\\U");
                    case 'c' -> {
                        if (i < s.length()) {
                            word.write(s.charAt(i) & 0x1F);
                            i++;
                        }
                    }
                    default -> {
                        if (e >= '0' && e <= '7') {
                            i--;
                            escapedNumber(8, 3, false, null);
                        } else {
                            word.write('\\'); // an unknown escape stays as it was written, as in bash
                            i--;
                            appendCodePointAt();
                        }
                    }
                }
            }
        }

        /** True, and past it, at the closing {@code close} of a quote opened at {@code start}; an error at the line's end. */
        private boolean closes(char close, String quote, int start) throws CurlException {
            if (i >= s.length()) {
                throw unterminated(quote, start);
            }
            if (s.charAt(i) != close) {
                return false;
            }
            i++;
            return true;
        }

        /** Up to {@code maxDigits} digits: a byte, or a code point written as UTF-8. */
        private void escapedNumber(int radix, int maxDigits, boolean codePoint, String prefix) throws CurlException {
            int start = i;
            long value = 0;
            while (i < s.length() && i - start < maxDigits && Character.digit(s.charAt(i), radix) >= 0 && s.charAt(i) < 0x80) {
                value = value * radix + Character.digit(s.charAt(i), radix);
                i++;
            }
            if (i == start) {
                append(prefix); // no digits: bash keeps the text
                return;
            }
            if (!codePoint) {
                word.write((int) (value & 0xFF));
            } else if (value > Character.MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF)) {
                throw CurlException.usage(s.substring(start - 2, i) + " " + where(start - 2) + " is not a Unicode character");
            } else {
                LosslessUtf8.writeCodePoint((int) value, word);
            }
        }

        private void appendCodePointAt() {
            startWord();
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            LosslessUtf8.encodeTo(s.substring(i, i + n), word);
            i += n;
        }

        private void append(String text) {
            startWord();
            LosslessUtf8.encodeTo(text, word);
        }

        private void startWord() {
            if (word == null) {
                word = new ByteArrayOutputStream();
            }
        }

        private void endWord() {
            if (word != null) {
                byte[] b = word.toByteArray();
                words.add(LosslessUtf8.decode(b, 0, b.length));
                word = null;
            }
        }

        private char next(int k) {
            return i + k < s.length() ? s.charAt(i + k) : 0;
        }

        private static boolean isBlank(char c) {
            return c == 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }

        private CurlException unterminated(String quote, int at) {
            return CurlException.usage("the " + quote + " quote " + where(at) + " is not closed");
        }

        /** "at column C", or "at line L, column C" in a line of several. */
        private String where(int at) {
            int line = 1;
            int lineStart = 0;
            for (int k = 0; k < at; k++) {
                if (s.charAt(k) == '\n') {
                    line++;
                    lineStart = k + 1;
                }
            }
            int column = at - lineStart + 1;
            return s.indexOf('\n') < 0 ? "at column " + column : "at line " + line + ", column " + column;
        }
    }
}
