package heromgr.rpc;

import heromgr.api.ErrorCode;

/**
 * Told about every call the JSON-RPC envelope answered (notifications and each call of a batch too): on the calling
 * thread, so it must be cheap and never block.
 */
@FunctionalInterface
public interface CallMeter {
    CallMeter NONE = (method, failure, nanos) -> {
    };

    /**
     * @param method  the method as the caller named it (any text; null when the call was not even a valid request)
     * @param failure the error answered, null for a success
     * @param nanos   from the call's parsed JSON to its answer built
     */
    void called(String method, ErrorCode failure, long nanos);
}
