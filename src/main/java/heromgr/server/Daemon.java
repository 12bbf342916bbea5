package heromgr.server;

import java.nio.file.Path;

/** Boots the daemon: PLACEHOLDER signature for parallel work, replaced by the real server in this session. */
public final class Daemon {
    private Daemon() {
    }

    /**
     * Runs the daemon in the foreground until SIGTERM/SIGINT; returns the process exit code.
     * @param home explicit HERO_HOME (null: from the environment)
     * @param socket explicit socket path (null: $HERO_SOCKET_DIR/heromgr/service.sock)
     */
    public static int run(Path home, Path socket) {
        throw new UnsupportedOperationException("placeholder");
    }
}
