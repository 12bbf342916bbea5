package heromgr.rpc;

/**
 * The daemon's loopback TCP listener for the Admin UI, opened when a caller asks (rpc.http, `heromgr ui`). The
 * server room implements it; rpc only holds this, so the arrows keep pointing from server to rpc.
 */
@FunctionalInterface
public interface LoopbackListener {
    /**
     * Opens the listener on address (HOST:PORT, loopback only, port 0 a free one), or answers the one already open
     * when address names it or port 0. Another address while one is open, or a bad one, is -32602 naming it.
     */
    Listening open(String address);

    /** Where the Admin UI listens and the two 0600 token files; opened false when it was open already. */
    record Listening(String url, String tokenFile, String viewerTokenFile, boolean opened) {
    }
}
