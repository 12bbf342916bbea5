package heromgr.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The folders under which heromgr never follows a symbolic link when it makes or opens a file to write: a daemon's
 * $HERO_HOME (and its socket folder when that lies elsewhere), confined for the life of the process. Under them a
 * folder is opened one step at a time from the home with O_NOFOLLOW ({@link SecureDirectoryStream}, openat), so a
 * link planted on the way, or swapped in while the walk runs, is refused with {@link LinkRefusedException} naming
 * it. Paths outside every confined home are opened as they always were.
 */
public final class ConfinedHomes {
    private static final Set<Path> HOMES = ConcurrentHashMap.newKeySet();

    private ConfinedHomes() {
    }

    /** From now on, writes under folder refuse links below it (folder itself may be one). */
    public static void confine(Path folder) {
        HOMES.add(folder.toAbsolutePath().normalize());
    }

    /**
     * The confined home path lies under (the deepest, when homes nest), if any. A plain loop: every confined open
     * asks (a create opens three files), and on a cold daemon a stream's lambdas and pipeline run interpreted.
     */
    static Optional<Path> homeOf(Path path) {
        Path deepest = null;
        for (Path home : HOMES) {
            if (path.startsWith(home) && (deepest == null || home.getNameCount() > deepest.getNameCount())) deepest = home;
        }
        return Optional.ofNullable(deepest);
    }

    /**
     * Makes dir (and the folders on the way) when missing and opens it without following a link on the way from its
     * home, race-free: every step is an openat with O_NOFOLLOW relative to the one before. Outside a home: opened as is.
     */
    public static SecureDirectoryStream<Path> openFolder(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Optional<Path> home = homeOf(target);
        if (home.isEmpty()) {
            if (!Files.isDirectory(target)) Files.createDirectories(target);
            return secure(Files.newDirectoryStream(target), target);
        }
        SecureDirectoryStream<Path> at = secure(Files.newDirectoryStream(home.get()), home.get());
        Path where = home.get();
        try {
            for (Path name : home.get().relativize(target)) {
                if (name.toString().isEmpty()) break; // target is the home itself
                where = where.resolve(name);
                SecureDirectoryStream<Path> next = step(at, name, where);
                at.close();
                at = next;
            }
            return at;
        } catch (IOException | RuntimeException e) {
            at.close();
            throw e;
        }
    }

    /** Makes dir (and the folders on the way) when missing, refusing a link on the way from its home. */
    public static void makeFolder(Path dir) throws IOException {
        openFolder(dir).close();
    }

    /**
     * Refuses path when it, or a folder on the way to it from its home, is a symbolic link. A check, not an open: for
     * files others open by path (a program's socket, a rename's target); the open that follows may still race it.
     */
    public static void refuseLinks(Path path) throws LinkRefusedException {
        Path target = path.toAbsolutePath().normalize();
        Optional<Path> home = homeOf(target);
        if (home.isEmpty()) return;
        Path at = home.get();
        for (Path name : home.get().relativize(target)) {
            if (name.toString().isEmpty()) return;
            at = at.resolve(name);
            if (Files.isSymbolicLink(at)) throw new LinkRefusedException(at);
        }
    }

    private static SecureDirectoryStream<Path> step(SecureDirectoryStream<Path> at, Path name, Path where) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return secure(at.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS), where);
            } catch (NoSuchFileException missing) {
                if (attempt > 0) throw missing;
                try {
                    Files.createDirectory(where); // mkdir never follows a link in its last step
                } catch (FileAlreadyExistsException raced) {
                    // made meanwhile: the next attempt opens it (or refuses it, when it is a link)
                }
            } catch (FileSystemException e) {
                if (isLink(at, name)) throw new LinkRefusedException(where);
                throw e;
            }
        }
    }

    private static boolean isLink(SecureDirectoryStream<Path> at, Path name) {
        try {
            return at.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes().isSymbolicLink();
        } catch (IOException e) {
            return false;
        }
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream, Path dir) throws IOException {
        if (stream instanceof SecureDirectoryStream<Path> secure) return secure;
        stream.close();
        throw new IOException("cannot open " + dir + " relative to its parent (no openat on this platform)");
    }
}
