package dev.sluice.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.DynamicState;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a state directory holds, read without changing anything ({@link StateStore#verify}): every
 * generation file, newest first, found good, damaged or unreadable; and the unfinished saves a
 * crash left behind. A start and {@code sluice state verify} read the directory through this, so
 * they cannot disagree.
 *
 * @param generations newest first
 * @param unfinished {@code *.tmp} files: saves that never completed, so never acknowledged
 */
public record StateReport(Path dir, List<StateReport.Generation> generations, List<Path> unfinished) {

    public StateReport {
        requireNonNull(dir, "dir");
        generations = List.copyOf(generations);
        unfinished = List.copyOf(unfinished);
    }

    /** One {@code state-<version>.json} file. */
    public sealed interface Generation permits Good, Damaged, Unreadable {
        Path file();

        /** The version its name carries. */
        long version();

        default String name() {
            return file().getFileName().toString();
        }
    }

    /** A whole file: header, length, checksum and content are right. */
    public record Good(Path file, DynamicState state) implements Generation {
        @Override
        public long version() {
            return state.version();
        }
    }

    /** A file whose content is wrong, and how: it is never used. */
    public record Damaged(Path file, long version, String problem) implements Generation {}

    /** A file that could not be read (permissions, an I/O error): what it holds is unknown. */
    public record Unreadable(Path file, long version, String problem) implements Generation {}

    /**
     * The generation a start recovers: the newest good one, skipping damaged ones. Empty when none is
     * good, or when a file newer than the newest good one could not be read — it may hold later
     * acknowledged changes, so a start refuses rather than go back in time.
     */
    public Optional<Good> recovered() {
        for (Generation g : generations) {
            switch (g) {
                case Good good -> {
                    return Optional.of(good);
                }
                case Unreadable unreadable -> {
                    return Optional.empty();
                }
                case Damaged damaged -> {}
            }
        }
        return Optional.empty();
    }

    /** Every generation is good (true when there is none). */
    public boolean allGood() {
        return generations.stream().allMatch(g -> g instanceof Good);
    }
}
