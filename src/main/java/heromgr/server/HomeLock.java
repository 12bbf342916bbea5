package heromgr.server;

import heromgr.fs.ConfinedHomes;
import heromgr.fs.HeroPaths;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon process a HERO_HOME. Two would both adopt the same processes, restart each exit twice over and write the
 * same runtime.json, and the socket cannot tell: a second daemon may be given another one (--socket, $HEROMGR_SOCKET).
 * So a daemon process locks var/heromgr/daemon.lock for its life (the kernel lets go when the process ends, however it
 * ends) and writes its socket there, for the refusal to name.
 */
final class HomeLock {
    private static final String FILE = "daemon.lock";
    /** Kept reachable: a collected channel would be closed by its cleaner, and the lock with it. */
    private static FileChannel held;

    private HomeLock() {
    }

    /** @throws IllegalStateException when a daemon process holds the home already */
    static synchronized void holdForThisProcess(HeroPaths paths, Path socket) throws IOException {
        ConfinedHomes.makeFolder(paths.state());
        Path file = paths.state().resolve(FILE);
        ConfinedHomes.refuseLinks(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        if (!locked(channel)) {
            String holder = holder(channel);
            channel.close();
            throw new IllegalStateException("another heromgr daemon is already running on " + holder + " for " + paths.home());
        }
        channel.truncate(0).write(ByteBuffer.wrap(socket.toString().getBytes(StandardCharsets.UTF_8)));
        held = channel;
    }

    private static boolean locked(FileChannel channel) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException thisProcessHoldsIt) {
            return false;
        }
    }

    /** The socket the holder wrote; "its socket" when it has not written it yet. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer text = ByteBuffer.allocate(4096);
        channel.read(text, 0);
        String socket = new String(text.array(), 0, text.position(), StandardCharsets.UTF_8);
        return socket.isBlank() ? "its socket" : socket;
    }
}
