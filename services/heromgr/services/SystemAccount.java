package heromgr.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A system account from /etc/passwd (where Debian's packages create theirs), which a root daemon hands folders to. */
record SystemAccount(String name, int uid, int gid) {
    private static final Path PASSWD = Path.of("/etc/passwd");

    static Optional<SystemAccount> find(String name) {
        try (var lines = Files.lines(PASSWD)) {
            return lines.map(line -> line.split(":", -1))
                    .filter(f -> f.length >= 4 && f[0].equals(name))
                    .findFirst()
                    .map(f -> new SystemAccount(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3])));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PASSWD, e);
        }
    }

    /** Whether this JVM runs as root: only then may a service switch to another account. */
    static boolean daemonIsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    void own(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", uid);
        Files.setAttribute(path, "unix:gid", gid);
    }

    /** The first folder above path this account may not pass through (no search permission for it), if any. */
    Optional<Path> blockedOnTheWay(Path path) throws IOException {
        Path at = path.toAbsolutePath().getRoot();
        for (Path part : path.toAbsolutePath().getParent()) {
            at = at.resolve(part);
            int mode = (Integer) Files.getAttribute(at, "unix:mode");
            int owner = (Integer) Files.getAttribute(at, "unix:uid");
            int group = (Integer) Files.getAttribute(at, "unix:gid");
            int searchBit = owner == uid ? 0100 : group == gid ? 0010 : 0001;
            if ((mode & searchBit) == 0) return Optional.of(at);
        }
        return Optional.empty();
    }
}
