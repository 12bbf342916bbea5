package heromgr.rpc;

/**
 * Who made a call, as the transport established it (the peer's user name from SO_PEERCRED), and the JSON-RPC id of
 * the call being served (null for a notification): operations put it into their start event, so a client watching
 * the event stream can tell its own operation from anyone else's.
 */
public record Caller(String user, String requestId) {
    public static final Caller LOCAL = new Caller("local");

    public Caller(String user) {
        this(user, null);
    }

    /** This caller making the call with this JSON-RPC id. */
    public Caller forRequest(String id) {
        return new Caller(user, id);
    }
}
