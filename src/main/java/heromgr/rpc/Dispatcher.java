package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Method name to handler, checked against the OpenRPC document at construction: the daemon implements exactly
 * the methods the document lists, so no method ever answers "not implemented" and none goes undocumented. A call's
 * params are validated against the document, and the params left out get the document's defaults, so no handler
 * keeps a default of its own.
 */
public final class Dispatcher {
    private final OpenRpcContract contract;
    private final Map<String, RpcMethod> methods;

    public Dispatcher(OpenRpcContract contract, Map<String, RpcMethod> methods) {
        Set<String> undocumented = new TreeSet<>(methods.keySet());
        undocumented.removeAll(contract.methodNames());
        Set<String> unimplemented = new TreeSet<>(contract.methodNames());
        unimplemented.removeAll(methods.keySet());
        if (!undocumented.isEmpty() || !unimplemented.isEmpty()) {
            throw new IllegalStateException("OpenRPC document and dispatcher differ: implemented but not documented "
                    + undocumented + ", documented but not implemented " + unimplemented);
        }
        this.contract = contract;
        this.methods = Map.copyOf(methods);
    }

    public Object call(String method, JsonNode params, Caller caller) {
        RpcMethod handler = methods.get(method);
        if (handler == null) throw new ApiException(ErrorCode.METHOD_NOT_FOUND, "method not found: " + method);
        contract.validateParams(method, params);
        return handler.call(contract.withDefaults(method, params), caller.sending(params));
    }
}
