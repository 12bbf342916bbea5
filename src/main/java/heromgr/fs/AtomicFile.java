package heromgr.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Writes that never leave a half-written file behind: the content goes to a temp file in the same folder,
 * is fsynced, then renamed over the target (and the folder fsynced so the rename survives a crash).
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path tmp = tempBeside(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Copies source over target atomically, with the given permissions and modification time.
     * The target is either the old file or the complete new one, never a partial copy.
     */
    public static void copy(Path source, Path target, Set<PosixFilePermission> perms, FileTime mtime) throws IOException {
        Path tmp = tempBeside(target);
        try {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                long size = in.size();
                for (long pos = 0; pos < size; ) pos += in.transferTo(pos, size - pos, out);
                out.force(true);
            }
            Files.setPosixFilePermissions(tmp, perms);
            Files.setLastModifiedTime(tmp, mtime);
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A temp file in target's folder, for content staged elsewhere (a download) and then renamed over target
     * with {@link #moveIntoPlace}. Its name starts with a dot and ends in .tmp, so a sweep after a crash finds it.
     */
    public static Path tempBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    }

    /** Renames tmp over target atomically and makes the rename durable. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename atomically into " + target + ": " + e.getMessage(), e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some filesystems refuse fsync on a directory; the rename itself is still atomic
        }
    }
}
