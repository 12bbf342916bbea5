package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One JSON-RPC method: validated params (an object, possibly empty, every param the caller left out that has a
 * default in the document filled with it) in, a result to serialize out.
 */
@FunctionalInterface
public interface RpcMethod {
    Object call(JsonNode params, Caller caller);
}
