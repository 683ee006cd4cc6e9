package dev.sluice.accesslog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ⑦ Appends lines to a file, one write per batch. {@link #reopen()} opens the path again, so that
 * logrotate can rename the file and signal: lines written before the reopen are in the renamed
 * file, lines after it in a new one. A file it creates is {@code rw-r-----} (less what the umask
 * takes); its directory must exist.
 */
final class FileSink implements LogSink {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private static final Set<StandardOpenOption> APPEND =
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);

    private final Path path;
    private final LossCounter losses;
    private volatile FileChannel channel;

    private FileSink(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
        this.losses = new LossCounter("access_log_sink_failed", "sink=" + name());
    }

    /**
     * Opens {@code path} for appending, creating it when missing.
     *
     * @throws IOException when it cannot: a missing directory, permissions
     */
    static FileSink open(Path path) throws IOException {
        return new FileSink(path, openChannel(path));
    }

    private static FileChannel openChannel(Path path) throws IOException {
        // Readable by the group (an adm or log group), not by everyone: client addresses are personal data.
        FileAttribute<?>[] mode = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"))}
                : new FileAttribute<?>[0];
        return FileChannel.open(path, APPEND, mode);
    }

    @Override
    public String name() {
        return "file " + path;
    }

    @Override
    public void write(Batch batch) {
        ByteBuffer text = batch.text().slice(0, batch.text().length());
        try {
            while (text.hasRemaining()) {
                channel.write(text);
            }
        } catch (IOException e) {
            losses.add(batch.size(), e);
        }
    }

    /** Opens the path again; when that fails, keeps writing to the file it has, and says so. */
    @Override
    public void reopen() {
        FileChannel next;
        try {
            next = openChannel(path);
        } catch (IOException e) {
            log.warn("access_log_reopen_failed sink={}: still writing to the file opened before: {}", name(), e.toString());
            return;
        }
        FileChannel old = channel;
        channel = next;
        closeChannel(old);
    }

    @Override
    public long lost() {
        return losses.total();
    }

    @Override
    public void close() {
        closeChannel(channel);
    }

    private void closeChannel(FileChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            log.warn("access_log_sink_close_failed sink={}: {}", name(), e.toString());
        }
    }
}
