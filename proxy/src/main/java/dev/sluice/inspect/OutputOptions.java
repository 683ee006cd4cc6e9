package dev.sluice.inspect;

import java.nio.file.Path;

/**
 * What a curl command asks to be shown, apart from the request: {@code -i}, {@code -v},
 * {@code -s}, {@code -S}, {@code -o}. {@code sluice inspect --print} always shows the request
 * and the response whole, so only {@code -s}, {@code -S} and {@code -o} change what it does.
 *
 * @param outputFile where to write the response body ({@code -o}), or null
 */
public record OutputOptions(boolean include, boolean verbose, boolean silent, boolean showError, Path outputFile) {}
