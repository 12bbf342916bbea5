package heromgr.server;

import heromgr.http.UnixHttpClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

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
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        if (!Files.exists(socket)) return;
        try (var client = new UnixHttpClient(socket, Duration.ofSeconds(2))) {
            client.get("/health");
            throw new IllegalStateException("another heromgr daemon is already running on " + socket);
        } catch (IOException nobodyAnswers) {
            Files.deleteIfExists(socket);
        }
    }

    static void restrict(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    }
}
