package heromgr.rpc;

/** Who made a call, as the transport established it (the peer's user name from SO_PEERCRED). */
public record Caller(String user) {
    public static final Caller LOCAL = new Caller("local");
}
