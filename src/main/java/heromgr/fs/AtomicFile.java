package heromgr.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.SecureDirectoryStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
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
import java.nio.file.FileSystemException;
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
    /** The daemon's cap on a cached temporary native buffer (-Djdk.nio.maxCachedBufferSize=65536): a chunk reuses one. */
    private static final int WRITE_CHUNK = 64 * 1024;

    private AtomicFile() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        writeSyncingFolderLater(target, content).await();
    }

    /**
     * {@link #write} up to the rename: the content is on disk and in place under its name when this returns (a process
     * that dies now leaves it whole for the next), and the rename is on disk too, against a power loss, once the
     * returned sync is awaited. Meanwhile the caller may do other work, and other writers' fsyncs of the folder, started
     * after this rename, make that wait free (see {@link FolderSync}).
     */
    public static FolderSync writeSyncingFolderLater(Path target, byte[] content) throws IOException {
        try {
            stageAndRename(target, List.of(content), true);
        } catch (IOException e) {
            throw naming(target, e);
        }
        return FolderSync.after(target.toAbsolutePath().getParent());
    }

    /**
     * Replaces target's content atomically against a crash of this process (temp file, rename), without fsync: for
     * state that means nothing after a power loss or kernel crash. Readers never see a partial file.
     */
    public static void replace(Path target, byte[] content) throws IOException {
        replace(target, List.of(content));
    }

    /**
     * {@link #replace(Path, byte[])} of the pieces' concatenation, written through one small buffer: a large file
     * made of cached pieces (runtime.json at 1,000 services, ~1.1 MB) is never joined into one array first.
     */
    public static void replace(Path target, List<byte[]> pieces) throws IOException {
        try {
            stageAndRename(target, pieces, false);
        } catch (IOException e) {
            throw naming(target, e);
        }
    }

    /** Swaps the files two names point at in one atomic step; false where the file system cannot (see proc.os.RenameExchange). */
    @FunctionalInterface
    public interface Exchange {
        boolean swap(Path a, Path b) throws IOException;
    }

    /**
     * {@link #replace(Path, List)} without a new file per write, for a file rewritten many times a second (the runtime
     * state): the content is written over a spare kept beside target ({@code .name.spare}, owner-only), which the
     * exchange then swaps with target, so the spare holds the previous content until the next write. Readers see the
     * old file or the new one, as with a rename. The first write, and a file system without the exchange, rename.
     */
    public static void replace(Path target, List<byte[]> pieces, Exchange exchange) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path name = target.getFileName();
        Path spare = Path.of("." + name + ".spare");
        try (SecureDirectoryStream<Path> folder = ConfinedHomes.openFolder(dir)) {
            if (!exists(folder, name)) {
                stageAndRename(target, pieces, false);
                return;
            }
            writeSpare(folder, spare, pieces);
            CrashPoint.atAtomicWrite(CrashPoint.Stage.TEMP_WRITTEN, target);
            if (!exchange.swap(dir.resolve(spare), dir.resolve(name))) folder.move(spare, folder, name);
            CrashPoint.atAtomicWrite(CrashPoint.Stage.RENAMED, target);
        } catch (IOException e) {
            throw naming(target, e);
        }
    }

    /** Over the spare's old content from its start, then cut to length; a link or other non-file planted there is removed first. */
    private static void writeSpare(SecureDirectoryStream<Path> folder, Path spare, List<byte[]> pieces) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (SeekableByteChannel ch = folder.newByteChannel(spare, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), OWNER_ONLY)) {
                writeAll(ch, pieces);
                ch.truncate(ch.position());
                return;
            } catch (IOException e) {
                // the JDK reports a link refused by NOFOLLOW_LINKS as a bare IOException; a full disk fails again below
                if (attempt > 0) throw e;
                deleteQuietly(folder, spare);
            }
        }
    }

    private static boolean exists(SecureDirectoryStream<Path> folder, Path name) {
        try {
            folder.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A failed write (ENOSPC from write(2) names no file) as one naming the file it was for. */
    private static IOException naming(Path target, IOException e) {
        if (e instanceof FileSystemException) return e;
        var named = new FileSystemException(target.toString(), null, e.getMessage());
        named.initCause(e);
        return named;
    }

    /**
     * durable: the content is fsynced before the rename (the caller fsyncs the folder after it). The folder is
     * opened without following a link from its confined home, and the temp file made and renamed relative to it
     * (openat, renameat), so a link swapped in meanwhile cannot redirect the write. On failure no temp file is left.
     */
    private static void stageAndRename(Path target, List<byte[]> pieces, boolean durable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path name = target.getFileName();
        try (SecureDirectoryStream<Path> folder = ConfinedHomes.openFolder(dir)) {
            Path tmp = null;
            boolean moved = false;
            try {
                for (int attempt = 0; tmp == null; attempt++) {
                    Path candidate = Path.of(tempName(target));
                    try (SeekableByteChannel ch = folder.newByteChannel(candidate, Set.of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY)) {
                        tmp = candidate;
                        writeAll(ch, pieces);
                        if (durable && ch instanceof FileChannel file) file.force(true);
                    } catch (FileAlreadyExistsException e) {
                        if (attempt >= 100) throw e;
                    }
                }
                CrashPoint.atAtomicWrite(CrashPoint.Stage.TEMP_WRITTEN, target);
                folder.move(tmp, folder, name);
                moved = true;
                CrashPoint.atAtomicWrite(CrashPoint.Stage.RENAMED, target);
            } finally {
                if (!moved && tmp != null) deleteQuietly(folder, tmp);
            }
        }
    }

    /** One piece as it is; several gathered into chunks (a heap buffer over 64 KiB is copied to a fresh native one per write). */
    private static void writeAll(SeekableByteChannel ch, List<byte[]> pieces) throws IOException {
        if (pieces.size() == 1) {
            drain(ch, ByteBuffer.wrap(pieces.getFirst()));
            return;
        }
        ByteBuffer chunk = ByteBuffer.allocate(WRITE_CHUNK);
        for (byte[] piece : pieces) {
            for (int at = 0; at < piece.length; ) {
                if (!chunk.hasRemaining()) drain(ch, chunk.flip()).clear();
                int n = Math.min(chunk.remaining(), piece.length - at);
                chunk.put(piece, at, n);
                at += n;
            }
        }
        drain(ch, chunk.flip());
    }

    private static ByteBuffer drain(SeekableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
        return buf;
    }

    private static void deleteQuietly(SecureDirectoryStream<Path> folder, Path file) {
        try {
            folder.deleteFile(file);
        } catch (IOException ignored) {
            // the write's own failure is the one to report; a sweep at the next start removes what stays
        }
    }

    private static String tempName(Path target) {
        return "." + target.getFileName() + "." + ProcessHandle.current().pid() + "-" + TEMP_NAMES.incrementAndGet() + ".tmp";
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
        ConfinedHomes.makeFolder(dir);
        // unique within this daemon by the counter; CREATE_NEW still refuses a leftover of a crashed one
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(tempName(target));
            try {
                // owner-only, as createTempFile made them: state files may hold a service's secrets
                Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                        OWNER_ONLY).close();
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

    /**
     * Renames tmp over target atomically and makes the rename durable; refused when a folder on the way to target from
     * its confined home is a link (checked before the rename: a link at target itself is replaced, never followed).
     */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        ConfinedHomes.refuseLinks(target.toAbsolutePath().getParent());
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

    /** Group commit per folder: see {@link FolderSync}. */
    private static void syncDirectory(Path dir) {
        FolderSync.after(dir).await();
    }

    /**
     * A rename into a folder, made durable by an fsync of the folder that started after it. Group commit: a rename is
     * durable once any fsync of its folder started after it, so concurrent writers into one folder (a batch of 100
     * service.create) share fsyncs instead of queueing for one each, and a writer that awaits later may find its rename
     * already covered by another writer's fsync.
     */
    public static final class FolderSync {
        private static final ConcurrentHashMap<Path, Folder> FOLDERS = new ConcurrentHashMap<>();

        private final Folder folder;
        private final long ticket;

        private FolderSync(Folder folder, long ticket) {
            this.folder = folder;
            this.ticket = ticket;
        }

        /** Taken after a rename into dir: every fsync of dir that starts from now on covers it. */
        static FolderSync after(Path dir) {
            Folder f = FOLDERS.computeIfAbsent(dir, Folder::new);
            return new FolderSync(f, f.requested.incrementAndGet());
        }

        /** Returns once an fsync of the folder that started after the rename has ended (this one, if none has). */
        public void await() {
            folder.lock.lock();
            try {
                if (folder.synced >= ticket) return;
                long upTo = folder.requested.get(); // every ticket up to here was taken after its rename, so before this fsync
                try (FileChannel ch = FileChannel.open(folder.dir, StandardOpenOption.READ)) {
                    ch.force(true);
                } catch (IOException ignored) {
                    // some filesystems refuse fsync on a directory; the rename itself is still atomic
                }
                folder.synced = upTo;
            } finally {
                folder.lock.unlock();
            }
        }

        private static final class Folder {
            final Path dir;
            final ReentrantLock lock = new ReentrantLock();
            final AtomicLong requested = new AtomicLong();
            long synced; // guarded by lock

            Folder(Path dir) {
                this.dir = dir;
            }
        }
    }
}
