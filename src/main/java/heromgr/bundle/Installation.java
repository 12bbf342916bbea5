package heromgr.bundle;

import heromgr.fs.HeroPaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * heromgr installed into a Hero home: one folder per version, $HERO_HOME/lib/heromgr/<version>/, and
 * $HERO_HOME/bin/heromgr a symbolic link to the current version's launcher. Switching versions replaces the link
 * atomically (a new link renamed over the old), so a command run meanwhile finds one version or the other, whole.
 * The version switched away from is kept for a rollback; older ones are removed.
 */
public final class Installation {
    private final Path versions;
    private final Path link;

    public Installation(HeroPaths paths) {
        this.versions = paths.home().resolve("lib/heromgr");
        this.link = paths.bin().resolve("heromgr");
    }

    public Path link() {
        return link;
    }

    public Path folder(String version) {
        return versions.resolve(version);
    }

    /** The version bin/heromgr points at, if it points into this home's lib/heromgr. */
    public Optional<String> current() {
        if (!Files.isSymbolicLink(link)) return Optional.empty();
        try {
            Path target = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
            if (!target.startsWith(versions) || versions.relativize(target).getNameCount() != 3) return Optional.empty();
            return Optional.of(versions.relativize(target).getName(0).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What an install did: the version now current, and the one it replaced (kept for a rollback), if any. */
    public record Installed(String version, Path folder, Optional<String> previous, boolean copied) {
    }

    /**
     * Installs bundle and makes it the current version. A version already installed here is left as it is unless
     * force (a daemon may be running from it). When the current version changes, the one before is kept and older
     * ones are removed.
     */
    public Installed install(Bundle bundle, boolean force) throws IOException {
        Optional<String> previous = current().filter(v -> !v.equals(bundle.version()));
        boolean present = Bundle.at(folder(bundle.version())).isPresent();
        if (force || !present) place(bundle);
        switchTo(bundle.version());
        if (previous.isPresent()) prune(Set.of(bundle.version(), previous.get()));
        return new Installed(bundle.version(), folder(bundle.version()), previous, force || !present);
    }

    /** Whether path, as given or with its links followed, is a file of a version here (a launcher run from lib/heromgr/<v>/). */
    public boolean holds(Path path) {
        if (!Files.isDirectory(versions)) return false;
        if (path.toAbsolutePath().normalize().startsWith(versions.toAbsolutePath().normalize())) return true;
        try {
            return path.toRealPath().startsWith(versions.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** A scratch folder under lib/heromgr (same filesystem, so what is prepared there is renamed into place). */
    Path scratch(String purpose) throws IOException {
        Files.createDirectories(versions);
        return Files.createTempDirectory(versions, "." + purpose + "-");
    }

    /**
     * Puts bundle's folder in place as lib/heromgr/<version>/ (copied, times kept; or renamed when it was unpacked
     * in this home's scratch space). A bundle installed there already is replaced, unless it is that very folder.
     */
    public Path place(Bundle bundle) throws IOException {
        Path dest = folder(bundle.version());
        if (bundle.root().equals(dest.toAbsolutePath().normalize())) return dest;
        Path scratch = scratchHolding(bundle.root());
        Path staged = bundle.root();
        if (scratch == null) {
            scratch = scratch("install");
            staged = scratch.resolve("heromgr");
            copyTree(bundle.root(), staged);
        }
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            Path old = scratch("replaced");
            Files.move(dest, old.resolve("heromgr"), StandardCopyOption.ATOMIC_MOVE);
            removeTree(old);
        }
        Files.move(staged, dest, StandardCopyOption.ATOMIC_MOVE);
        removeTree(scratch);
        return dest;
    }

    /** Points bin/heromgr at version's launcher (relative, so the home can move). */
    public void switchTo(String version) throws IOException {
        Path launcher = folder(version).resolve("bin/heromgr");
        if (!Files.isExecutable(launcher)) throw new IOException(launcher + " is missing: heromgr " + version + " is not installed here");
        Files.createDirectories(link.getParent());
        Path tmp = link.resolveSibling(".heromgr.link-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, link.getParent().relativize(launcher));
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the versions other than keep, and scratch folders left by an interrupted install. */
    public void prune(Set<String> keep) throws IOException {
        if (!Files.isDirectory(versions)) return;
        try (Stream<Path> all = Files.list(versions)) {
            for (Path p : all.toList()) {
                if (!keep.contains(p.getFileName().toString())) removeTree(p);
            }
        }
    }

    /** Removes one version's folder (one that failed; never the current one). */
    public void remove(String version) throws IOException {
        if (current().filter(version::equals).isPresent()) throw new IOException(version + " is the current version");
        removeTree(folder(version));
    }

    /** The versions installed here, in no particular order. */
    public List<String> installed() throws IOException {
        if (!Files.isDirectory(versions)) return List.of();
        try (Stream<Path> all = Files.list(versions)) {
            return all.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
        }
    }

    /** The scratch folder of this installation that path lies in (a bundle unpacked there is moved, not copied). */
    private Path scratchHolding(Path path) {
        if (!path.startsWith(versions) || path.equals(versions)) return null;
        Path first = versions.resolve(versions.relativize(path).getName(0));
        return first.getFileName().toString().startsWith(".") ? first : null;
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // COPY_ATTRIBUTES keeps the times the AOT caches are checked against; links are copied as links
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void removeTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
