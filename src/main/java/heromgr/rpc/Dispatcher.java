package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Method name to handler, checked against the OpenRPC document at construction: the daemon implements exactly
 * the methods the document lists, so no method ever answers "not implemented" and none goes undocumented. A call's
 * params are validated against the document, and the params left out get the document's defaults, so no handler
 * keeps a default of its own. A caller who may only read is refused the methods the document marks
 * {@code x-heromgr-access: operate} (one log line each), before its params are even looked at.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
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
        Access needed = contract.access(method);
        if (!caller.access().covers(needed)) {
            log.warn("refused {} to user '{}': {} access, the method needs {}", method, caller.user(), caller.access().word(),
                    needed.word());
            throw new ApiException(ErrorCode.FORBIDDEN, "forbidden: " + method + " changes something, and user '"
                    + caller.user() + "' may only read (viewer access)");
        }
        contract.validateParams(method, params);
        return handler.call(contract.withDefaults(method, params), caller.sending(params));
    }
}
