package heromgr.server;

import heromgr.fs.ConfinedHomes;
import heromgr.http.UnixHttpClient;
import heromgr.proc.os.GroupAcl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * The daemon's socket path: refuses to take it from a live daemon, clears a stale file left by a killed one,
 * and sets the permissions (0750 folder, 0660 socket) that the kernel enforces before our peer check runs.
 */
final class SocketFile {
    private SocketFile() {
    }

    /** @throws IllegalStateException when another daemon answers on the socket */
    static void claim(Path socket) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        ConfinedHomes.makeFolder(dir); // a link there is refused: the chmod below would follow it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        if (!Files.exists(socket)) return;
        try (var client = new UnixHttpClient(socket, Duration.ofSeconds(2))) {
            client.get("/health");
            throw new IllegalStateException("another heromgr daemon is already running on " + socket);
        } catch (IOException nobodyAnswers) {
            Files.deleteIfExists(socket);
        }
    }

    /**
     * 0660, and with access groups configured, the socket (rw) and its folder (r-x) opened to each of them by a POSIX
     * ACL entry: a file has one group, the daemon may have two (operators and viewers), and the daemon's user need not
     * belong to either. The modes stay as they were; the peer check still decides who gets what.
     */
    static void restrict(Path socket, List<Integer> groups) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        if (groups.isEmpty()) return;
        GroupAcl.grant(socket, 6, 6, groups);
        GroupAcl.grant(socket.toAbsolutePath().getParent(), 7, 5, groups);
    }
}
