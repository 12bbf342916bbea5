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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.attribute.FileAttribute;

/**
 * Writes that never leave a half-written file behind: the content goes to a temp file in the same folder,
 * is fsynced, then renamed over the target (and the folder fsynced so the rename survives a crash).
 */
public final class AtomicFile {
    private static final AtomicLong TEMP_NAMES = new AtomicLong();
    /** What {@link #tempBeside} names a temp file: .target.pid-counter.tmp (earlier versions: .target.random.tmp) */
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.\\d+(-\\d+)?\\.tmp");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final ConcurrentHashMap<Path, DirectorySync> DIRECTORY_SYNCS = new ConcurrentHashMap<>();

    private AtomicFile() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        stageAndRename(target, content, true);
    }

    /**
     * Replaces target's content atomically against a crash of this process (temp file, rename), without fsync: for
     * state that means nothing after a power loss or kernel crash. Readers never see a partial file.
     */
    public static void replace(Path target, byte[] content) throws IOException {
        stageAndRename(target, content, false);
    }

    /** durable: the content is fsynced before the rename and the rename after it (the folder fsynced). */
    private static void stageAndRename(Path target, byte[] content, boolean durable) throws IOException {
        Path tmp = tempBeside(target);
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                if (durable) ch.force(true);
            }
            CrashPoint.atAtomicWrite(CrashPoint.Stage.TEMP_WRITTEN, target);
            if (durable) {
                moveIntoPlace(tmp, target);
            } else {
                rename(tmp, target);
                CrashPoint.atAtomicWrite(CrashPoint.Stage.RENAMED, target);
            }
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
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
        // createDirectories on an existing folder throws and catches an exception inside: a stat first is cheaper
        if (!Files.isDirectory(dir)) Files.createDirectories(dir);
        // unique within this daemon by the counter; CREATE_NEW still refuses a leftover of a crashed one
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-" + TEMP_NAMES.incrementAndGet() + ".tmp");
            try {
                // owner-only, as createTempFile made them: state files may hold a service's secrets
                Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    /**
     * Removes the temp files a daemon killed mid-write left in dir and its folders down to depth (1: dir alone); only
     * names {@link #tempBeside} makes, never a finished file. Call it before anything writes there. Returns them.
     */
    public static List<Path> sweepLeftovers(Path dir, int depth) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> leftovers;
        try (Stream<Path> files = Files.walk(dir, depth)) {
            leftovers = files.filter(f -> TEMP_NAME.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f)).toList();
        }
        for (Path f : leftovers) Files.deleteIfExists(f);
        return leftovers;
    }

    /** Renames tmp over target atomically and makes the rename durable. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        rename(tmp, target);
        CrashPoint.atAtomicWrite(CrashPoint.Stage.RENAMED, target);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    private static void rename(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename atomically into " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Group commit per folder: a rename is durable once any fsync of its folder started after it, so concurrent
     * writers into one folder (a batch of 100 service.create) share fsyncs instead of queueing for one each.
     */
    private static void syncDirectory(Path dir) {
        DirectorySync sync = DIRECTORY_SYNCS.computeIfAbsent(dir, d -> new DirectorySync());
        long ticket = sync.requested.incrementAndGet();
        sync.lock.lock();
        try {
            if (sync.synced >= ticket) return;
            long upTo = sync.requested.get(); // every ticket up to here was taken after its rename, so before this fsync
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException ignored) {
                // some filesystems refuse fsync on a directory; the rename itself is still atomic
            }
            sync.synced = upTo;
        } finally {
            sync.lock.unlock();
        }
    }

    private static final class DirectorySync {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicLong requested = new AtomicLong();
        long synced; // guarded by lock
    }
}
