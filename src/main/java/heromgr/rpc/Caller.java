package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who made a call, as the transport established it (the peer's user name from SO_PEERCRED, and the access its
 * credentials grant), the JSON-RPC id of the call being served (null for a notification), and its params exactly as
 * sent. Operations put the id into their start event, so a client watching the event stream can tell its own
 * operation from anyone else's; the operation log records the params as sent, while the handler reads them with the
 * document's defaults filled in.
 */
public record Caller(String user, Access access, String requestId, JsonNode sentParams) {
    public static final Caller LOCAL = new Caller("local");

    /** A caller who may operate. */
    public Caller(String user) {
        this(user, Access.OPERATE);
    }

    public Caller(String user, Access access) {
        this(user, access, null, null);
    }

    /** This caller making the call with this JSON-RPC id. */
    public Caller forRequest(String id) {
        return new Caller(user, access, id, sentParams);
    }

    /** This caller's call, sending these params. */
    Caller sending(JsonNode params) {
        return new Caller(user, access, requestId, params);
    }
}
