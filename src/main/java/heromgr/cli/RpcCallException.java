package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** The daemon answered the call with a JSON-RPC error object. */
public final class RpcCallException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient JsonNode data;
    private final transient JsonNode error;

    public RpcCallException(int code, String message, JsonNode data, JsonNode error) {
        super(message);
        this.code = code;
        this.data = data;
        this.error = error;
    }

    public int code() {
        return code;
    }

    /** error.data, or null when absent. */
    public JsonNode data() {
        return data;
    }

    /** The whole error object as received, for --json output. */
    public JsonNode error() {
        return error;
    }
}
