package dev.sluice.inspect;

import java.io.InputStream;
import java.util.List;

/**
 * A curl command read: the request it describes and what it asks to be shown. Takes the
 * arguments as a program gets them, or a whole pasted line such as a browser's "Copy as cURL".
 */
public record CurlCommand(RequestSpec request, OutputOptions output) {

    /** Reads curl's arguments (without the {@code curl} word); {@code @-} reads standard input. */
    public static CurlCommand parse(List<String> args) throws CurlException {
        return parse(args, System.in);
    }

    /** Reads curl's arguments; {@code @-} reads {@code stdin}. */
    public static CurlCommand parse(List<String> args, InputStream stdin) throws CurlException {
        return new CurlParser(new LocalFiles(stdin)).parse(args);
    }

    /** Reads a pasted command line, {@code curl 'https://…' -H '…'}; a leading {@code curl} word is dropped. */
    public static CurlCommand parseLine(String line) throws CurlException {
        return parse(words(line), System.in);
    }

    /** The curl arguments of a pasted line: its words without a leading {@code curl}. */
    public static List<String> words(String line) throws CurlException {
        List<String> words = ShellWords.split(line);
        if (!words.isEmpty() && isCurl(words.getFirst())) {
            return words.subList(1, words.size());
        }
        return words;
    }

    private static boolean isCurl(String word) {
        String name = word.substring(word.lastIndexOf('/') + 1);
        return name.equals("curl") || name.equals("curl.exe");
    }
}
