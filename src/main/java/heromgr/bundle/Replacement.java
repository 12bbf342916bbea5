package heromgr.bundle;

import heromgr.fs.AtomicFile;
import heromgr.fs.HeroPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The mark `heromgr self upgrade` leaves before it stops a daemon to replace it: a daemon started with
 * --stop-services-on-exit that finds its own pid there when told to stop leaves its services running for the daemon
 * that replaces it, as every upgrade promises. A file rather than a signal: it is in place before the stop arrives,
 * whoever sends it (the upgrade itself, or systemd for `systemctl stop`), and only the home's owner can write it.
 */
public final class Replacement {
    private final Path file;

    public Replacement(HeroPaths paths) {
        this.file = paths.state().resolve("replacing");
    }

    /** Marks the daemon of pid as stopping to be replaced. */
    public void mark(long pid) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFile.write(file, (pid + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the mark, once the daemon it named has stopped (or was not stopped after all). */
    public void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Whether the daemon of pid is stopping to be replaced. */
    public boolean isFor(long pid) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().equals(Long.toString(pid));
        } catch (IOException e) {
            return false;
        }
    }
}
